# The granting policy's ARN is an output: a caller may attach it to principals this module's Deny
# does not cover, so the Deny on the module's own role takes nothing back.
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_iam_policy" "grant" {
  name   = "grant"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "iam:*", Resource = "*" }] })
}

resource "aws_iam_role_policy_attachment" "grant" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.grant.arn
}

resource "aws_iam_role_policy" "guard" {
  name   = "guard"
  role   = aws_iam_role.app.id
  policy = jsonencode({ Statement = [{ Effect = "Deny", Action = "iam:*", Resource = "*" }] })
}

output "grant_arn" {
  value = aws_iam_policy.grant.arn
}
