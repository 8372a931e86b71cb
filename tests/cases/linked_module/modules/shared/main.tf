variable "conf" {
  type = string
}

resource "aws_ssm_parameter" "conf" {
  name  = "conf"
  type  = "String"
  value = var.conf
}
