# expect: none
# passes: TFGEN_IAM_2
# A `*` that ends an ARN segment matches across the colons after it, so `arn:aws:logs:*` and
# `arn:aws:ssm:eu-west-1:*` are well formed (a real-world false positive of TFGEN_IAM_2:
# docs/accuracy.md). Broad, but not malformed.
resource "aws_iam_policy" "log_shipper" {
  name   = "log-shipper"
  policy = <<EOF2
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ShipLogs",
      "Effect": "Allow",
      "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
      "Resource": "arn:aws:logs:*"
    }
  ]
}
EOF2
}

data "aws_iam_policy_document" "parameters" {
  statement {
    sid       = "ReadAppParameters"
    actions   = ["ssm:GetParameter"]
    resources = ["arn:aws:ssm:eu-west-1:*"]
  }
}

resource "aws_iam_policy" "parameters" {
  name   = "app-parameters"
  policy = data.aws_iam_policy_document.parameters.json
}
