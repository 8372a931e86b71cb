output "kms_key_arns" {
  description = "Customer managed key ARNs by purpose (audit, artifacts, secrets, state)."
  value       = module.kms.key_arns
}

output "kms_alias_names" {
  description = "Key alias names by purpose."
  value       = module.kms.alias_names
}

output "bucket_names" {
  description = "Bucket names by purpose."
  value = {
    access_logs = module.access_logs_bucket.bucket_id
    artifacts   = module.artifacts_bucket.bucket_id
    audit       = module.audit_bucket.bucket_id
    state       = module.state_bucket.bucket_id
  }
}

output "cloudtrail_arn" {
  description = "ARN of the multi-region trail."
  value       = module.cloudtrail.trail_arn
}

output "cloudtrail_log_group_arn" {
  description = "ARN of the trail's KMS-encrypted CloudWatch log group."
  value       = module.cloudtrail.cloudwatch_log_group_arn
}

output "cloudtrail_sns_topic_arn" {
  description = "ARN of the encrypted SNS topic notified of log file deliveries."
  value       = module.cloudtrail.sns_topic_arn
}

output "proton_service_role_arn" {
  description = "AWS Proton service role (CloudFormation provisioning)."
  value       = module.iam.proton_service_role_arn
}

output "proton_pipeline_role_arn" {
  description = "AWS Proton pipeline service role, or null."
  value       = module.iam.pipeline_role_arn
}

output "proton_codebuild_role_arn" {
  description = "AWS Proton CodeBuild provisioning role, or null."
  value       = module.iam.codebuild_role_arn
}

output "proton_component_role_arn" {
  description = "AWS Proton component role, or null."
  value       = module.iam.component_role_arn
}

output "proton_environment_account_connection_role_arn" {
  description = "Environment account connection role, or null."
  value       = module.iam.environment_account_connection_role_arn
}

output "persona_role_arns" {
  description = "Persona role ARNs (developer, platform-admin, read-only)."
  value       = module.iam.persona_role_arns
}

output "persona_policy_arns" {
  description = "Persona managed policy ARNs, for further roles or groups."
  value       = module.iam.persona_policy_arns
}

output "secret_arns" {
  description = "Secrets Manager secret ARNs by name."
  value       = module.secrets.secret_arns
}

output "secure_parameter_arns" {
  description = "SSM SecureString parameter ARNs by name."
  value       = module.secrets.secure_parameter_arns
}
