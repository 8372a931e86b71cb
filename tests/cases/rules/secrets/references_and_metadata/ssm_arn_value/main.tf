resource "aws_ssm_parameter" "p" {
  name  = "/app/db_password_arn"
  type  = "String"
  value = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"
}
