# expect: none
# passes: TFGEN_IAM_5
# The deployer passes "tasks-*" roles to ECS tasks only: the functions it creates cannot run as them.
data "aws_iam_policy_document" "deployer" {
  statement {
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::123456789012:role/tasks-*"]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }

  statement {
    actions   = ["lambda:CreateFunction", "lambda:UpdateFunctionCode"]
    resources = ["arn:aws:lambda:eu-west-1:123456789012:function:tasks-*"]
  }
}

resource "aws_iam_policy" "deployer" {
  name   = "tasks-deployer"
  policy = data.aws_iam_policy_document.deployer.json
}
