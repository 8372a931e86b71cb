# expect: none
# passes: TFGEN_ENC_2
# S3 server access log delivery does not support SSE-KMS: the log target keeps SSE-S3, and
# both tfgen and the corrected CKV_AWS_145 report it as skipped, not failed.
resource "aws_s3_bucket" "access_logs" {
  bucket = "example-access-logs"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_policy" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.access_logs.arn, "${aws_s3_bucket.access_logs.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_s3_bucket_logging" "data" {
  bucket        = "example-data"
  target_bucket = aws_s3_bucket.access_logs.id
  target_prefix = "data/"
}
