variable "db_password" {
  default = "literal-password"
}
