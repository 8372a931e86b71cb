# expect: none
# passes: TFGEN_IAM_1, TFGEN_IAM_2, TFGEN_IAM_3, TFGEN_IAM_4
# Proton service role: trust with both confused-deputy keys; permissions scoped to Proton stacks.
data "aws_partition" "current" {}

resource "aws_iam_role" "proton_service" {
  name = "proton-service"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "proton.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = "123456789012" }
        ArnLike      = { "aws:SourceArn" = "arn:aws:proton:eu-west-1:123456789012:environment/*" }
      }
    }]
  })
}

data "aws_iam_policy_document" "stacks" {
  statement {
    sid       = "ProtonStacks"
    actions   = ["cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents"]
    resources = ["arn:${data.aws_partition.current.partition}:cloudformation:eu-west-1:123456789012:stack/AWSProton-*"]
  }
  statement {
    sid       = "PassOnlyOurRole"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.proton_service.arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["proton.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "stacks" {
  name   = "proton-stacks"
  role   = aws_iam_role.proton_service.id
  policy = data.aws_iam_policy_document.stacks.json
}
