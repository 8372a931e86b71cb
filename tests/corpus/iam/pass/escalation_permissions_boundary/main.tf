# expect: none
# passes: TFGEN_IAM_5
# Delegated role administration: roles under "app-*" may get policies only when they carry the
# platform team's permissions boundary, and only these two managed policies may be attached.
locals {
  boundary = "arn:aws:iam::123456789012:policy/platform-boundary"
}

resource "aws_iam_policy" "delegated_admin" {
  name = "delegated-role-admin"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "WithBoundary"
        Effect   = "Allow"
        Action   = ["iam:CreateRole", "iam:PutRolePolicy"]
        Resource = "arn:aws:iam::123456789012:role/app-*"
        Condition = {
          StringEquals = { "iam:PermissionsBoundary" = local.boundary }
        }
      },
      {
        Sid      = "OnlyTheseManagedPolicies"
        Effect   = "Allow"
        Action   = "iam:AttachRolePolicy"
        Resource = "arn:aws:iam::123456789012:role/app-*"
        Condition = {
          ArnEquals = {
            "iam:PolicyARN" = [
              "arn:aws:iam::aws:policy/ReadOnlyAccess",
              "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
            ]
          }
        }
      },
    ]
  })
}
