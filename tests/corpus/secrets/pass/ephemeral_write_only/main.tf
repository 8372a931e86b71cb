# expect: none
# passes: TFGEN_SECRETS_1, TFGEN_SECRETS_2
# The password is read at apply time (ephemeral) and written through a write-only argument.
ephemeral "aws_secretsmanager_secret_version" "db" {
  secret_id = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"
}

resource "aws_db_instance" "main" {
  identifier          = "main"
  engine              = "postgres"
  instance_class      = "db.t4g.micro"
  allocated_storage   = 20
  username            = "app"
  password_wo         = ephemeral.aws_secretsmanager_secret_version.db.secret_string
  password_wo_version = 1
}

variable "api_token" {
  type        = string
  description = "Token for the status API; pass it with TF_VAR_api_token."
  sensitive   = true
  default     = ""
}
