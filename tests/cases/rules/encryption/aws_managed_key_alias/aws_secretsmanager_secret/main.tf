resource "aws_secretsmanager_secret" "r" {
  name = "r"
  kms_key_id = "alias/aws/secretsmanager"
}
