resource "aws_sqs_queue" "r" {
  name = "r"
  kms_master_key_id = "alias/aws/sqs"
}
