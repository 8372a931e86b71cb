# expect: TFGEN_IAM_1
# aws_iam_policy_document trust with aws:SourceArn only.
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
      values   = ["arn:aws:proton:eu-west-1:123456789012:environment/*"]
    }
  }
}

resource "aws_iam_role" "pipeline" {
  name               = "proton-pipeline"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
