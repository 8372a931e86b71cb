output "client_secret" {
  value = "s3cr3t-value"
}
