# Sentinel defaults: "no value here", not a credential (issue #10).
variable "db_password" {
  type      = string
  default   = "null"
  sensitive = true
}

variable "api_token" {
  type    = string
  default = "None"
}
