resource "aws_iam_role_policy_attachment" "ssm" {
  role       = "node"
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_role_policy_attachment" "full_access_lookalike" {
  role       = "node"
  policy_arn = "arn:aws:iam::123456789012:policy/OrdersFullAccess"
}
