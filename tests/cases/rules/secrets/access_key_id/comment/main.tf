# old key: AKIAIOSFODNN7EXAMPLE
locals {
  a = 1
}
