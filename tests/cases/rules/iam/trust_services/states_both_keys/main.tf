data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "sfn_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:aws:states:eu-west-1:${data.aws_caller_identity.current.account_id}:stateMachine:*"]
    }
  }
}

resource "aws_iam_role" "sfn" {
  name               = "sfn"
  assume_role_policy = data.aws_iam_policy_document.sfn_trust.json
}
