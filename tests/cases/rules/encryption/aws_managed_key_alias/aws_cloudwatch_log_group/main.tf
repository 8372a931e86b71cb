resource "aws_cloudwatch_log_group" "r" {
  name = "r"
  kms_key_id = "alias/aws/cloudwatch"
}
