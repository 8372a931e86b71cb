variable "k" {
  default = "AKIAIOSFODNN7EXAMPLE"
}
