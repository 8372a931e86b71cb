variable "enforce_tls" {
  type = bool
}

resource "aws_s3_bucket" "b" {
  bucket = "b"
}

data "aws_iam_policy_document" "b" {
  dynamic "statement" {
    for_each = var.enforce_tls ? [1] : []
    content {
      effect    = "Deny"
      actions   = ["s3:*"]
      resources = ["${aws_s3_bucket.b.arn}/*"]
      principals {
        type        = "*"
        identifiers = ["*"]
      }
      condition {
        test     = "Bool"
        variable = "aws:SecureTransport"
        values   = ["false"]
      }
    }
  }
}

resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = data.aws_iam_policy_document.b.json
}
