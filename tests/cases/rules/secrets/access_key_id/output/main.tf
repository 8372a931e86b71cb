output "k" {
  value = "AKIAIOSFODNN7EXAMPLE"
}
