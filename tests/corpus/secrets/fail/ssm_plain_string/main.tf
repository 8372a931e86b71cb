# expect: TFGEN_SECRETS_3
variable "db_password" {
  type        = string
  description = "Database password, passed in at apply time."
  sensitive   = true
}

resource "aws_ssm_parameter" "db_password" {
  name  = "/app/prod/db_password"
  type  = "String"
  value = var.db_password
}
