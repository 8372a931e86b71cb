# expect: TFGEN_ENC_3
# The AWS managed key written as an interpolated ARN: the partition, region and account are not
# known, but the literal `:alias/aws/sns` says which key it is whatever they are.
data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

variable "region" {
  type = string
}

resource "aws_sns_topic" "alerts" {
  name              = "alerts"
  kms_master_key_id = "arn:${data.aws_partition.current.partition}:kms:${var.region}:${data.aws_caller_identity.current.account_id}:alias/aws/sns"
}

locals {
  partition = "aws"
  region    = "eu-west-1"
  account   = "123456789012"
  service   = "secretsmanager"
}

# Every part known: the ARN evaluates to arn:aws:kms:eu-west-1:123456789012:alias/aws/secretsmanager.
resource "aws_secretsmanager_secret" "token" {
  name       = "token"
  kms_key_id = "arn:${local.partition}:kms:${local.region}:${local.account}:alias/aws/${local.service}"
}
