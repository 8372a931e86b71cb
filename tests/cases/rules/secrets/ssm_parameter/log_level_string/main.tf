resource "aws_ssm_parameter" "p" {
  name  = "/app/prod/log_level"
  type  = "String"
  value = var.v
}
