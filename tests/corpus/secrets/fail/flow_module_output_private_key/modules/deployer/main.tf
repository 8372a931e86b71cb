variable "name" {
  type = string
}

resource "tls_private_key" "this" {
  algorithm = "ED25519"
}

resource "aws_key_pair" "this" {
  key_name   = var.name
  public_key = tls_private_key.this.public_key_openssh
}

output "private_key" {
  value     = tls_private_key.this.private_key_openssh
  sensitive = true
}
