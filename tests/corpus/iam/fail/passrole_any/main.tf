# expect: TFGEN_IAM_4
data "aws_iam_policy_document" "deployer" {
  statement {
    sid       = "PassAnything"
    actions   = ["iam:PassRole"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "deployer" {
  name   = "deployer"
  policy = data.aws_iam_policy_document.deployer.json
}
