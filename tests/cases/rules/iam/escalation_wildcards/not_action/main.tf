resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode({ Statement = [{ Effect = "Allow", NotAction = ["s3:*", "ec2:*"], Resource = "*" }] })
}
