variable "name" {
  type = string
}

variable "kms_key_arn" {
  type    = string
  default = null
}

variable "access_logging" {
  type    = object({ target_bucket = string })
  default = null
}

locals {
  sse_kms = var.kms_key_arn != null
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = local.sse_kms ? "aws:kms" : "AES256"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_logging" "this" {
  count         = var.access_logging == null ? 0 : 1
  bucket        = aws_s3_bucket.this.id
  target_bucket = var.access_logging.target_bucket
  target_prefix = "logs/"
}

output "bucket_id" {
  value = aws_s3_bucket.this.id
}
