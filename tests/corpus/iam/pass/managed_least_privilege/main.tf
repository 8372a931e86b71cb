# expect: none
# passes: TFGEN_IAM_6
# A narrow AWS managed policy and the team's own policy attached; nothing broad.
resource "aws_iam_policy" "reader" {
  name = "orders-reader"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem", "dynamodb:Query"]
      Resource = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "reader" {
  role       = "orders-api"
  policy_arn = aws_iam_policy.reader.arn
}

resource "aws_iam_role_policy_attachment" "xray" {
  role       = "orders-api"
  policy_arn = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"
}
