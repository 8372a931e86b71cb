resource "aws_ssm_parameter" "p" {
  name  = "/app/prod/db_password"
  type  = "String"
  value = var.v
}
