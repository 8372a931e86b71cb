variable "encryption_rules" {
  type = any
}

resource "aws_s3_bucket_server_side_encryption_configuration" "e" {
  bucket = "b"
  dynamic "rule" {
    for_each = var.encryption_rules
    content {
      apply_server_side_encryption_by_default {
        sse_algorithm = rule.value.sse_algorithm
      }
    }
  }
}
