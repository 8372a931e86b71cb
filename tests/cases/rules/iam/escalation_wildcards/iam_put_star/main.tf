data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["iam:Put*"]
    resources = ["arn:aws:iam::123456789012:role/*"]
  }
}

resource "aws_iam_role_policy" "p" {
  role   = "ops"
  policy = data.aws_iam_policy_document.p.json
}
