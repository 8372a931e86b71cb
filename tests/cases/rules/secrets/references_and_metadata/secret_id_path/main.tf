# Where a secret lives, not the secret: a Secrets Manager name, an SSM path, an ARN.
variable "db_password_secret" {
  type    = string
  default = "prod/app/db-password"
}

variable "db_password_parameter_name" {
  type    = string
  default = "/app/db/password"
}

variable "master_password" {
  type      = string
  default   = null
  sensitive = true
}

locals {
  db_secret    = "prod/app/db"
  token_secret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/app/token-AbCdEf"
}
