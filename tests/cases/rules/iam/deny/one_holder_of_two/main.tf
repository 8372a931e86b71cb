# One policy attached to two roles; only one of them has the Deny: the other keeps the grant.
resource "aws_iam_role" "guarded" {
  name               = "guarded"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_iam_policy" "shared" {
  name   = "shared"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "iam:*", Resource = "*" }] })
}

resource "aws_iam_policy_attachment" "shared" {
  name       = "shared"
  roles      = [aws_iam_role.guarded.name, "open"]
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
