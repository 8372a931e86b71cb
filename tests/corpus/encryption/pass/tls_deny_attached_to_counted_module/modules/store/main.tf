variable "bucket_name" {
  type = string
}

variable "key_arn" {
  type = string
}

resource "aws_s3_bucket" "store" {
  bucket = var.bucket_name
}

resource "aws_s3_bucket_server_side_encryption_configuration" "store" {
  bucket = aws_s3_bucket.store.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.key_arn
    }
    bucket_key_enabled = true
  }
}

output "bucket" {
  description = "The whole bucket object: callers read .id and .arn"
  value       = aws_s3_bucket.store
}
