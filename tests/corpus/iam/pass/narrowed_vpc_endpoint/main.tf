# expect: none
# passes: TFGEN_IAM_3
# Reachable only through one VPC endpoint (aws:SourceVpce), or from one network (aws:SourceIp).
variable "endpoint_id" {
  type    = string
  default = "vpce-0a1b2c3d4e5f67890"
}

data "aws_iam_policy_document" "internal" {
  statement {
    sid       = "ThroughEndpoint"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::example-internal/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpce"
      values   = [var.endpoint_id]
    }
  }
  statement {
    sid       = "FromOffice"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::example-internal"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "IpAddress"
      variable = "aws:SourceIp"
      values   = ["203.0.113.0/24"]
    }
  }
}

resource "aws_s3_bucket_policy" "internal" {
  bucket = "example-internal"
  policy = data.aws_iam_policy_document.internal.json
}
