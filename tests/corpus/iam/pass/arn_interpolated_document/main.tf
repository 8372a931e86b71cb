# expect: none
# passes: TFGEN_IAM_2
# The same interpolated ARNs through a policy document and jsonencode.
data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

variable "bucket" {
  type    = string
  default = "example-orders-archive"
}

data "aws_iam_policy_document" "archive" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:${data.aws_partition.current.partition}:s3:::${var.bucket}/*"]
  }
}

resource "aws_iam_policy" "archive" {
  name   = "archive-reader"
  policy = data.aws_iam_policy_document.archive.json
}

resource "aws_iam_policy" "orders" {
  name = "orders-sender"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["sqs:SendMessage"]
      Resource = "arn:${data.aws_partition.current.partition}:sqs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:orders"
    }]
  })
}
