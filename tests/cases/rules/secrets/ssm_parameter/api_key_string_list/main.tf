resource "aws_ssm_parameter" "p" {
  name  = "/app/prod/api-key"
  type  = "StringList"
  value = var.v
}
