# A bootstrap template whose password comes from Terraform (a templatefile() var), not from the text.
variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_instance" "web" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  user_data     = templatefile("${path.module}/scripts/bootstrap.sh.tpl", { db_password = var.db_password })
}
