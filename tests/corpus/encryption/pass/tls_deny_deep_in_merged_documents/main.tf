# expect: none
# passes: TFGEN_ENC_2
# The TLS deny is four documents down a chain of source_policy_documents, one link chosen by a
# conditional (a real-world false positive of TFGEN_ENC_2: docs/accuracy.md). Every document of
# the chain is read, however it is reached.
variable "flow_logs_to_bucket" {
  type    = bool
  default = true
}

resource "aws_kms_key" "audit" {
  description             = "audit"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_s3_bucket" "audit" {
  bucket = "example-audit"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "audit" {
  bucket = aws_s3_bucket.audit.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.audit.arn
    }
    bucket_key_enabled = true
  }
}

data "aws_iam_policy_document" "tls_only" {
  statement {
    sid       = "DenyPlainHttp"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.audit.arn, "${aws_s3_bucket.audit.arn}/*"]
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

data "aws_iam_policy_document" "trail_delivery" {
  source_policy_documents = [data.aws_iam_policy_document.tls_only.json]
  statement {
    sid       = "TrailAclCheck"
    actions   = ["s3:GetBucketAcl"]
    resources = [aws_s3_bucket.audit.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "config_delivery" {
  source_policy_documents = [data.aws_iam_policy_document.trail_delivery.json]
  statement {
    sid       = "ConfigAclCheck"
    actions   = ["s3:GetBucketAcl"]
    resources = [aws_s3_bucket.audit.arn]
    principals {
      type        = "Service"
      identifiers = ["config.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "flow_log_delivery" {
  source_policy_documents = [data.aws_iam_policy_document.config_delivery.json]
  statement {
    sid       = "FlowLogAclCheck"
    actions   = ["s3:GetBucketAcl"]
    resources = [aws_s3_bucket.audit.arn]
    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "audit" {
  source_policy_documents = [var.flow_logs_to_bucket ? data.aws_iam_policy_document.flow_log_delivery.json : data.aws_iam_policy_document.config_delivery.json]
}

resource "aws_s3_bucket_policy" "audit" {
  bucket = aws_s3_bucket.audit.id
  policy = data.aws_iam_policy_document.audit.json
}
