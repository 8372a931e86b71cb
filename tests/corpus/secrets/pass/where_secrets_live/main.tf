# expect: none
# passes: TFGEN_SECRETS_2
# Names, paths and ARNs of where secrets live, under secret-looking names (issue #10).
variable "db_password_parameter_name" {
  type    = string
  default = "/app/db/password"
}

variable "db_password_secret" {
  type    = string
  default = "prod/app/db-password"
}

variable "api_token_secret" {
  type    = string
  default = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/app/api-token-AbCdEf"
}

locals {
  db_secret = "prod/app/db"
}

ephemeral "aws_secretsmanager_secret_version" "db" {
  secret_id = local.db_secret
}
