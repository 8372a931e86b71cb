variable "master_password" {
  type      = string
  sensitive = true
}

variable "master_password_rotation_schedule_expression" {
  type    = string
  default = "rate(7 days)"
}

variable "admin_password_special_characters" {
  type    = string
  default = "!@#"
}

resource "aws_secretsmanager_secret" "master" {
  name = "db/master"
}

resource "aws_secretsmanager_secret_rotation" "master" {
  secret_id = aws_secretsmanager_secret.master.id
  rotation_rules {
    schedule_expression = var.master_password_rotation_schedule_expression
  }
}
