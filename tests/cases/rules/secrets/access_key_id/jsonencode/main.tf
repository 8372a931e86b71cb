locals {
  doc = jsonencode({ key = "AKIAIOSFODNN7EXAMPLE" })
}
