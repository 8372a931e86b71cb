resource "aws_ssm_parameter" "inputs" {
  name  = "/env/inputs"
  type  = "String"
  value = jsonencode(var.environment.inputs)
}
