resource "aws_sns_topic_policy" "t" {
  arn    = "arn:aws:sns:eu-west-1:123456789012:t"
  policy = jsonencode({ Statement = [{ Effect = "Allow", NotPrincipal = { AWS = "arn:aws:iam::123456789012:root" }, Action = "sns:Publish", Resource = "*" }] })
}
