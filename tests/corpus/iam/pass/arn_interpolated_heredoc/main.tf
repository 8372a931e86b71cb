# expect: none
# passes: TFGEN_IAM_2
# Interpolated ARNs in a heredoc policy: only their literal parts are checked (issue #10).
data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

variable "bucket" {
  type    = string
  default = "example-orders-archive"
}

resource "aws_iam_policy" "orders" {
  name   = "orders-writer"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["sqs:SendMessage"],
          "Resource": "arn:${data.aws_partition.current.partition}:sqs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:orders"
        },
        {
          "Effect": "Allow",
          "Action": ["s3:PutObject"],
          "Resource": "arn:${data.aws_partition.current.partition}:s3:::${var.bucket}/*"
        }
      ]
    }
  EOT
}
