# one critical finding (TFGEN_SECRETS_2: a literal default for a secret variable)
variable "db_password" {
  default = "literal-password"
}
