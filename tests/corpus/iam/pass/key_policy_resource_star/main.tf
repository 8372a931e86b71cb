# expect: none
# passes: TFGEN_IAM_3
# A key policy: Resource "*" means this key (no IAM-wildcard finding); principals are named,
# and the service principal is narrowed by aws:SourceArn.
data "aws_iam_policy_document" "key" {
  statement {
    sid       = "AccountRoot"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:root"]
    }
  }
  statement {
    sid       = "CloudTrailEncrypt"
    actions   = ["kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = ["arn:aws:cloudtrail:eu-west-1:123456789012:trail/audit"]
    }
  }
}

resource "aws_kms_key" "audit" {
  description             = "audit logs"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key.json
}
