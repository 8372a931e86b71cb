# expect: TFGEN_ENC_3
# The default picks the customer managed key, but terraform.tfvars (which Terraform loads
# over the defaults) turns it off.
variable "use_cmk" {
  type    = bool
  default = true
}

resource "aws_kms_key" "topic" {
  description         = "topic"
  enable_key_rotation = true
}

resource "aws_sns_topic" "events" {
  name              = "events"
  kms_master_key_id = var.use_cmk ? aws_kms_key.topic.arn : "alias/aws/sns"
}
