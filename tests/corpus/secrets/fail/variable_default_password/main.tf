# expect: TFGEN_SECRETS_2
variable "db_password" {
  type        = string
  description = "Master password for the database."
  default     = "Winter2024-Ops!"
  sensitive   = true
}
