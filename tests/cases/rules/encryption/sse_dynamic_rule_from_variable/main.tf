# A dynamic `rule` over a variable's default, its iterator read in the content.
variable "sse_algorithm" {
  type    = string
  default = "aws:kms"
}

resource "aws_kms_key" "data" {
  enable_key_rotation = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = "data"

  dynamic "rule" {
    for_each = [var.sse_algorithm]
    iterator = algorithm
    content {
      apply_server_side_encryption_by_default {
        sse_algorithm     = algorithm.value
        kms_master_key_id = aws_kms_key.data.arn
      }
    }
  }
}
