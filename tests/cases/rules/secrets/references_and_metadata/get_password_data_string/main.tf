# A switch, written as a string: Terraform converts "false" to the bool the argument takes.
resource "aws_instance" "bastion" {
  ami               = "ami-0abcdef1234567890"
  instance_type     = "t3.micro"
  get_password_data = "false"
}

variable "create_db_password" {
  type    = string
  default = "true"
}
