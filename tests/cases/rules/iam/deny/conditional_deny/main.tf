# A Deny that holds only without MFA takes nothing back from a session with MFA.
resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Action = "iam:*", Resource = "*" },
      {
        Effect    = "Deny"
        Action    = "iam:*"
        Resource  = "*"
        Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
      },
    ]
  })
}
