# expect: none
# passes: TFGEN_ENC_2
# The module's bucket policy is built from documents its caller passes in: the TLS deny is there.
resource "aws_kms_key" "data" {
  description             = "data"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

data "aws_iam_policy_document" "tls_only" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
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
