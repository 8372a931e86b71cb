variable "use_cmk" {
  type = bool
}

resource "aws_kms_key" "q" {
  enable_key_rotation = true
}

resource "aws_sqs_queue" "q" {
  name              = "q"
  kms_master_key_id = var.use_cmk ? aws_kms_key.q.arn : "alias/aws/sqs"
}
