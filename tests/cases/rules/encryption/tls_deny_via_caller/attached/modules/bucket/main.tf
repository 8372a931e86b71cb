resource "aws_s3_bucket" "this" {
  bucket = var.name
}

variable "name" {
  type = string
}

variable "policy_documents" {
  type    = list(string)
  default = []
}

output "id" {
  value = aws_s3_bucket.this.id
}
