# expect: none
# passes: TFGEN_SECRETS_2
# Arguments whose names mention a password but hold its settings: the rotation schedule
# expression, the special characters a generated password may use (real-world false positives
# of TFGEN_SECRETS_2: docs/accuracy.md). The password itself comes from a generator.
variable "password_override_special" {
  description = "Special characters the generated password may contain"
  type        = string
  default     = "!#$%&*()-_=+[]{}<>:?"
}

resource "random_password" "db" {
  length           = 40
  special          = true
  override_special = var.password_override_special
}

module "db" {
  source = "./modules/db"

  master_password                             = random_password.db.result
  master_password_rotation_schedule_expression = "rate(30 days)"
  admin_password_special_characters           = "!#$%"
}
