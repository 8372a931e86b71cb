# expect: TFGEN_ENC_2
# The caller passes a document into the module's bucket policy, but it is no TLS deny.
resource "aws_kms_key" "data" {
  description             = "data"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

data "aws_iam_policy_document" "tls_only" {
  statement {
    sid       = "DenyDeletes"
    effect    = "Deny"
    actions   = ["s3:DeleteObject"]
    resources = ["arn:aws:s3:::example-reports", "arn:aws:s3:::example-reports/*"]
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

module "reports" {
  source                  = "./modules/bucket"
  name                    = "example-reports"
  kms_key_arn             = aws_kms_key.data.arn
  source_policy_documents = [data.aws_iam_policy_document.tls_only.json]
}
