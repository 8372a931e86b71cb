output "secret_arns" {
  description = "Secrets Manager secret ARNs by name."
  value       = { for name, secret in aws_secretsmanager_secret.this : name => secret.arn }
}

output "secure_parameter_arns" {
  description = "SSM SecureString parameter ARNs by name."
  value       = { for name, parameter in aws_ssm_parameter.this : name => parameter.arn }
}
