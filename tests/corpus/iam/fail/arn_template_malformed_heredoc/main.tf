# expect: TFGEN_IAM_2
# Interpolated, but the literal parts are wrong: an empty service field (`arn:${...}::sqs:`).
data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

resource "aws_iam_policy" "orders" {
  name   = "orders-writer"
  policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["sqs:SendMessage"],
      "Resource": "arn:${data.aws_partition.current.partition}::sqs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:orders"
    }
  ]
}
EOT
}
