# expect: TFGEN_SECRETS_2
resource "aws_secretsmanager_secret_version" "db" {
  secret_id = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"
  secret_string = jsonencode({
    username = "admin"
    password = "correct-horse-battery-staple"
  })
}
