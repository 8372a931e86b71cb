resource "aws_sns_topic" "r" {
  name = "r"
  kms_master_key_id = aws_kms_key.k.arn
}
