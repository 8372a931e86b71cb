resource "aws_cloudwatch_log_group" "r" {
  name = "r"
  kms_key_id = aws_kms_key.k.arn
}
