# expect: TFGEN_ENC_3
# The key is chosen by a toggle whose default picks the AWS managed key.
variable "use_cmk" {
  type    = bool
  default = false
}

variable "environment" {
  type    = string
  default = "dev"
}

resource "aws_kms_key" "queue" {
  description         = "queue"
  enable_key_rotation = true
}

resource "aws_sqs_queue" "orders" {
  name              = "orders"
  kms_master_key_id = var.use_cmk ? aws_kms_key.queue.arn : "alias/aws/sqs"
}

locals {
  production = var.environment == "prod" && !var.use_cmk
}

# A nested conditional through a local: environment is "dev", so the AWS managed key.
resource "aws_cloudwatch_log_group" "app" {
  name       = "app"
  kms_key_id = local.production ? aws_kms_key.queue.arn : (var.environment != "dev" ? aws_kms_key.queue.arn : "alias/aws/logs")
}
