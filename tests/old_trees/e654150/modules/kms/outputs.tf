output "audit_key_arn" {
  description = "ARN of the audit key (CloudTrail log files, log group, SNS topic)."
  value       = aws_kms_key.audit.arn
}

output "audit_key_alias" {
  description = "Alias name of the audit key."
  value       = aws_kms_alias.audit.name
}

output "artifacts_key_arn" {
  description = "ARN of the artifacts key (template bundles and IaC artifacts)."
  value       = aws_kms_key.data["artifacts"].arn
}

output "secrets_key_arn" {
  description = "ARN of the secrets key (Secrets Manager secrets, SSM SecureString parameters)."
  value       = aws_kms_key.data["secrets"].arn
}

output "state_key_arn" {
  description = "ARN of the Terraform state key."
  value       = aws_kms_key.data["state"].arn
}

output "key_arns" {
  description = "Every key ARN by purpose."
  value       = merge({ audit = aws_kms_key.audit.arn }, { for purpose, key in aws_kms_key.data : purpose => key.arn })
}

output "alias_names" {
  description = "Every alias name by purpose."
  value       = merge({ audit = aws_kms_alias.audit.name }, { for purpose, alias in aws_kms_alias.data : purpose => alias.name })
}
