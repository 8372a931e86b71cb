# expect: TFGEN_IAM_5
# A release pipeline's policy may publish new versions of every "app-*" managed policy: one
# attached to the pipeline itself included (Rhino Security Labs' method 1 and 2).
resource "aws_iam_policy" "release" {
  name = "release-pipeline"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ManageAppPolicies"
        Effect   = "Allow"
        Action   = ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:GetPolicy*"]
        Resource = "arn:aws:iam::*:policy/app-*"
      },
    ]
  })
}
