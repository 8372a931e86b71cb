locals {
  k = "AKIAIOSFODNN7EXAMPLE"
}
