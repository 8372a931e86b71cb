# expect: TFGEN_ENC_3
# checkov's CKV_AWS_26 accepts the AWS managed key; a CMK belongs here.
resource "aws_sns_topic" "alerts" {
  name              = "alerts"
  kms_master_key_id = "alias/aws/sns"
}
