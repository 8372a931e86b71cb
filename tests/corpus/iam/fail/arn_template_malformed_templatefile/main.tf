# expect: TFGEN_IAM_2
# The template writes a bucket ARN with two colons before the name instead of three.
resource "aws_iam_policy" "archive" {
  name   = "archive-reader"
  policy = templatefile("${path.module}/archive-policy.json.tpl", { bucket = "example-archive" })
}
