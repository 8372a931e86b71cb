# expect: none
# passes: TFGEN_ENC_2
# The module has no bucket policy; its caller attaches the TLS deny to module.logs.id (issue #10).
resource "aws_kms_key" "data" {
  description             = "data"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

module "logs" {
  source      = "./modules/bucket"
  name        = "example-logs"
  kms_key_arn = aws_kms_key.data.arn
}

data "aws_iam_policy_document" "logs_tls" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [module.logs.arn, "${module.logs.arn}/*"]
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

resource "aws_s3_bucket_policy" "logs" {
  bucket = module.logs.id
  policy = data.aws_iam_policy_document.logs_tls.json
}
