resource "aws_db_instance" "db" {
  password_wo = ephemeral.aws_secretsmanager_secret_version.db.secret_string
}
