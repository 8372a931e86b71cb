# aws:SourceArn alone, its account field given: AWS's confused-deputy page documents this as enough
# (the account is in the ARN). The CodeBuild role of a multi-account pipeline is written this way.
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

resource "aws_iam_role" "build" {
  name = "build"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "codebuild.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringLike = {
          "aws:SourceArn" = "arn:aws:codebuild:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:project/${var.pipeline}-*"
        }
      }
    }]
  })
}

# The same with an account wildcard: any account's project could pass, so aws:SourceAccount is needed.
resource "aws_iam_role" "any_account" {
  name = "any-account"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "codebuild.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { ArnLike = { "aws:SourceArn" = "arn:aws:codebuild:eu-west-1:*:project/build" } }
    }]
  })
}

variable "pipeline" {
  type    = string
  default = "p"
}
