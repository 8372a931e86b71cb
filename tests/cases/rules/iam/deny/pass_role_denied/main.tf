# iam:PassRole on every role, taken back by a Deny on every role; lambda may still be used.
data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["iam:PassRole", "lambda:*"]
    resources = ["*"]
  }
  statement {
    effect    = "Deny"
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::*:role/*"]
  }
}

resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.p.json
}
