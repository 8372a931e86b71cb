resource "aws_sns_topic" "r" {
  name = "r"
  kms_master_key_id = "alias/aws/sns"
}
