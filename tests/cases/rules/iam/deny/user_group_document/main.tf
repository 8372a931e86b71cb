# A user's inline grant taken back by a policy document attached to the same user.
resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_user_policy" "ci" {
  name   = "ci"
  user   = aws_iam_user.ci.name
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["iam:PassRole", "iam:AttachRolePolicy"], Resource = "*" }] })
}

data "aws_iam_policy_document" "no_iam" {
  statement {
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "no_iam" {
  name   = "no-iam"
  policy = data.aws_iam_policy_document.no_iam.json
}

resource "aws_iam_user_policy_attachment" "no_iam" {
  user       = "ci"
  policy_arn = aws_iam_policy.no_iam.arn
}
