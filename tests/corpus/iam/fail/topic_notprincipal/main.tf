# expect: TFGEN_IAM_3
resource "aws_sns_topic_policy" "alerts" {
  arn    = "arn:aws:sns:eu-west-1:123456789012:alerts"
  policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:role/blocked"},
      "Action": "sns:Publish",
      "Resource": "arn:aws:sns:eu-west-1:123456789012:alerts"
    }
  ]
}
EOT
}
