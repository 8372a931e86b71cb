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

data "aws_iam_policy_document" "this" {
  source_policy_documents = var.policy_documents
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.this.json
}
