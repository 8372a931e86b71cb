variable "db_password" {
  type    = string
  default = "Winter2024!"
}
