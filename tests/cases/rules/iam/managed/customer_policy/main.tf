resource "aws_iam_policy" "app" {
  name   = "app"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sqs:SendMessage", Resource = "*" }] })
}

resource "aws_iam_policy_attachment" "app" {
  name       = "app"
  roles      = ["app"]
  policy_arn = aws_iam_policy.app.arn
}
