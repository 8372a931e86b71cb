variable "name" {
  type = string
}

resource "aws_ssm_parameter" "settings" {
  name   = "/${var.name}/settings"
  type   = "SecureString"
  key_id = "alias/reporting"
  value  = file("${path.module}/config/settings.ini")
}
