# The Deny is another role's: the grant stays.
resource "aws_iam_role_policy" "allow" {
  name   = "allow"
  role   = "app"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "iam:*", Resource = "*" }] })
}

resource "aws_iam_role_policy" "deny" {
  name   = "deny"
  role   = "other"
  policy = jsonencode({ Statement = [{ Effect = "Deny", Action = "iam:*", Resource = "*" }] })
}
