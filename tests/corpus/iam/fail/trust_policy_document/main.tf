# expect: TFGEN_IAM_1
# aws_iam_policy_document trust with aws:SourceArn only, and any account in it: without the account
# in the ARN, aws:SourceAccount is needed too (AWS's confused-deputy page).
data "aws_iam_policy_document" "trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["proton.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:aws:proton:eu-west-1:*:environment/*"]
    }
  }
}

resource "aws_iam_role" "pipeline" {
  name               = "proton-pipeline"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
