# expect: none
# passes: TFGEN_ENC_2
# The module is called with count and exposes its bucket as a whole object; the caller attaches
# the TLS deny to module.archive[0].bucket.id, through a policy document merged from another
# by source_policy_documents (issue #10: a real-world false positive of TFGEN_ENC_2).
variable "bring_your_own_bucket" {
  type    = bool
  default = false
}

resource "aws_kms_key" "archive" {
  description             = "archive"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

module "archive" {
  count       = var.bring_your_own_bucket ? 0 : 1
  source      = "./modules/store"
  bucket_name = "example-archive"
  key_arn     = aws_kms_key.archive.arn
}

data "aws_iam_policy_document" "archive_tls" {
  count = var.bring_your_own_bucket ? 0 : 1
  statement {
    sid       = "TlsOnly"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [module.archive[0].bucket.arn, "${module.archive[0].bucket.arn}/*"]
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

data "aws_iam_policy_document" "archive" {
  count                   = var.bring_your_own_bucket ? 0 : 1
  source_policy_documents = [data.aws_iam_policy_document.archive_tls[0].json]
  statement {
    sid       = "ReadForAuditors"
    actions   = ["s3:GetObject"]
    resources = ["${module.archive[0].bucket.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:role/auditor"]
    }
  }
}

resource "aws_s3_bucket_policy" "archive" {
  count  = var.bring_your_own_bucket ? 0 : 1
  bucket = module.archive[0].bucket.id
  policy = data.aws_iam_policy_document.archive[0].json
}
