variable "prefix" {
  type = string
}

variable "audit" {}

resource "aws_ssm_parameter" "label" {
  name  = "${var.prefix}/label"
  type  = "String"
  value = jsonencode({ audit = var.audit })
}
