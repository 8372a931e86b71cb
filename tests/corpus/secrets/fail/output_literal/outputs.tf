# expect: TFGEN_SECRETS_2
output "api_key" {
  description = "Key for the status API."
  value       = "status-api-key-7f3a9c21"
  sensitive   = true
}
