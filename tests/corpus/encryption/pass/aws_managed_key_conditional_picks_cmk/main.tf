# expect: none
# passes: TFGEN_ENC_3
# The toggle defaults to the AWS managed key, but prod.auto.tfvars (loaded by Terraform over the
# defaults) picks the customer managed key.
data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

variable "use_cmk" {
  type    = bool
  default = false
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

data "aws_iam_policy_document" "key" {
  statement {
    sid       = "AccountRoot"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:root"]
    }
  }
}

resource "aws_kms_key" "queue" {
  description             = "queue"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key.json
}

resource "aws_kms_alias" "queue" {
  name          = "alias/orders"
  target_key_id = aws_kms_key.queue.key_id
}

resource "aws_sqs_queue" "orders" {
  name              = "orders"
  kms_master_key_id = var.use_cmk ? aws_kms_key.queue.arn : "alias/aws/sqs"
}

# A customer managed key's alias as an interpolated ARN: only the account is unknown here.
resource "aws_sns_topic" "orders" {
  name              = "orders"
  kms_master_key_id = "arn:${data.aws_partition.current.partition}:kms:${var.region}:${data.aws_caller_identity.current.account_id}:alias/orders"
}
