# A bootstrap script read with file(): the password it exports is in the instance's user data.
resource "aws_instance" "web" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  user_data     = file("${path.module}/scripts/bootstrap.sh")
}
