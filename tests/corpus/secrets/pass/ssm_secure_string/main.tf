# expect: none
# passes: TFGEN_SECRETS_1, TFGEN_SECRETS_2, TFGEN_SECRETS_3
variable "db_password" {
  type        = string
  description = "Database password, passed in at apply time."
  sensitive   = true
}

variable "data_key_arn" {
  type        = string
  description = "Customer managed key for secrets."
}

resource "aws_ssm_parameter" "db_password" {
  name   = "/app/prod/db_password"
  type   = "SecureString"
  key_id = var.data_key_arn
  value  = var.db_password
}

resource "aws_ssm_parameter" "db_password_arn" {
  name  = "/app/prod/db_password_arn"
  type  = "String"
  value = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"
}
