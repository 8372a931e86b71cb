resource "aws_secretsmanager_secret" "r" {
  name = "r"
  kms_key_id = aws_kms_key.k.arn
}
