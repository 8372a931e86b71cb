# expect: none
# passes: TFGEN_SECRETS_2
# "null" / "None" defaults are sentinels the module tests for, not credentials (issue #10).
variable "db_password" {
  type        = string
  description = "Master password; \"null\" lets RDS manage it."
  default     = "null"
  sensitive   = true
}

variable "api_token" {
  type    = string
  default = "None"
}

variable "admin_password" {
  type      = string
  default   = null
  sensitive = true
}
