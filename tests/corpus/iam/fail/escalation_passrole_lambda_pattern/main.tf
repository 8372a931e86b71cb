# expect: TFGEN_IAM_5
# Passes any "lambda-*" role to a function it creates and invokes: code running as a role the
# deployer does not hold (Rhino Security Labs' method 15).
data "aws_iam_policy_document" "deployer" {
  statement {
    sid       = "PassFunctionRoles"
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::123456789012:role/lambda-*"]
  }

  statement {
    sid       = "Functions"
    actions   = ["lambda:CreateFunction", "lambda:InvokeFunction", "lambda:UpdateFunctionConfiguration"]
    resources = ["arn:aws:lambda:eu-west-1:123456789012:function:deploy-*"]
  }
}

resource "aws_iam_policy" "deployer" {
  name   = "function-deployer"
  policy = data.aws_iam_policy_document.deployer.json
}
