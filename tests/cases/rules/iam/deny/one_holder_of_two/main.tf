# One policy attached to two roles; only one of them has the Deny: the other keeps the grant.
resource "aws_iam_policy" "shared" {
  name   = "shared"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "iam:*", Resource = "*" }] })
}

resource "aws_iam_policy_attachment" "shared" {
  name       = "shared"
  roles      = ["guarded", "open"]
  policy_arn = aws_iam_policy.shared.arn
}

resource "aws_iam_role_policy" "guard" {
  name   = "guard"
  role   = "guarded"
  policy = jsonencode({ Statement = [{ Effect = "Deny", Action = "iam:*", Resource = "*" }] })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = "guarded"
  policy_arn = "arn:aws:iam::aws:policy/IAMFullAccess"
}
