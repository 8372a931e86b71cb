output "proton_service_role_arn" {
  description = "ARN of the AWS Proton service role (CloudFormation provisioning)."
  value       = aws_iam_role.proton_service.arn
}

output "pipeline_role_arn" {
  description = "ARN of the AWS Proton pipeline service role, or null when not created."
  value       = one(aws_iam_role.pipeline[*].arn)
}

output "codebuild_role_arn" {
  description = "ARN of the CodeBuild provisioning role, or null when not created."
  value       = one(aws_iam_role.codebuild[*].arn)
}

output "component_role_arn" {
  description = "ARN of the AWS Proton component role, or null when not created."
  value       = one(aws_iam_role.component[*].arn)
}

output "environment_account_connection_role_arn" {
  description = "ARN of the environment account connection role, or null when not created."
  value       = one(aws_iam_role.environment_account_connection[*].arn)
}

output "persona_role_arns" {
  description = "Persona role ARNs by persona (developer, platform-admin, read-only)."
  value       = { for persona, role in aws_iam_role.persona : persona => role.arn }
}

output "persona_policy_arns" {
  description = "Persona managed policy ARNs by persona, for attaching to further roles or groups."
  value       = local.personas
}

output "platform_admin_role_arn" {
  description = "ARN of the platform-admin persona role, the AWS Proton template administrator."
  value       = aws_iam_role.persona["platform-admin"].arn
}
