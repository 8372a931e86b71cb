resource "aws_sqs_queue" "r" {
  name = "r"
  kms_master_key_id = aws_kms_key.k.arn
}
