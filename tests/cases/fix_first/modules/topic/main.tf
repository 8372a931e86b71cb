variable "name" {
  type = string
}

resource "aws_sns_topic" "t" {
  name              = var.name
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_cloudwatch_log_group" "g" {
  name = var.name
}
