# The Deny covers the admin roles only: every other role still gets any inline policy.
data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["iam:PutRolePolicy", "iam:PassRole"]
    resources = ["*"]
  }
  statement {
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = ["arn:aws:iam::123456789012:role/admin-*"]
  }
}

resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.p.json
}
