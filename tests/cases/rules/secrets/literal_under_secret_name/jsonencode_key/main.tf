resource "aws_secretsmanager_secret_version" "v" {
  secret_id     = "s"
  secret_string = jsonencode({ password = "hunter2hunter2" })
}
