# expect: TFGEN_IAM_3
# A narrowing key matched against "*" matches every caller, as does 0.0.0.0/0; s3:prefix is what
# the caller asks for.
data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "AnyOrg"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::example-shared/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringLike"
      variable = "aws:PrincipalOrgID"
      values   = ["*"]
    }
  }
  statement {
    sid       = "ListHome"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::example-shared"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["home/*"]
    }
    condition {
      test     = "IpAddress"
      variable = "aws:SourceIp"
      values   = ["0.0.0.0/0"]
    }
  }
}

resource "aws_s3_bucket_policy" "shared" {
  bucket = "example-shared"
  policy = data.aws_iam_policy_document.bucket.json
}
