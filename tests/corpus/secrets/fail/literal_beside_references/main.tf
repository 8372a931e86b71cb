# expect: TFGEN_SECRETS_2
# References and sentinels pass, but a real literal password beside them still fails; so does
# "null" set on the resource itself (it is then the password, not a sentinel).
variable "db_password_secret" {
  type    = string
  default = "prod/app/db-password"
}

variable "db_password" {
  type      = string
  default   = "null"
  sensitive = true
}

resource "aws_db_instance" "reports" {
  identifier     = "reports"
  engine         = "postgres"
  instance_class = "db.t4g.micro"
  username       = "reports"
  password       = "Autumn2025-Db!"
}

resource "aws_db_instance" "legacy" {
  identifier     = "legacy"
  engine         = "postgres"
  instance_class = "db.t4g.micro"
  username       = "legacy"
  password       = "null"
}
