resource "aws_ssm_parameter" "p" {
  name  = "/app/token"
  type  = "SecureString"
  value = "abc-literal"
}
