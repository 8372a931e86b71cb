# The module's own policy unless the caller brings one (aws-samples/terraform-aws-multi-account-pipeline's shape).
variable "codebuild_policy" {
  type    = string
  default = null
}

resource "aws_iam_policy" "codebuild" {
  name   = "codebuild"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "logs:PutLogEvents", Resource = "*" }] })
}

resource "aws_iam_role_policy_attachment" "codebuild" {
  role       = "codebuild"
  policy_arn = var.codebuild_policy == null ? aws_iam_policy.codebuild.arn : var.codebuild_policy
}

resource "aws_iam_role_policy_attachment" "indexed" {
  count      = 2
  role       = "codebuild-${count.index}"
  policy_arn = aws_iam_policy.by_index[count.index].arn
}

resource "aws_iam_policy" "by_index" {
  count  = 2
  name   = "by-index-${count.index}"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "logs:PutLogEvents", Resource = "*" }] })
}
