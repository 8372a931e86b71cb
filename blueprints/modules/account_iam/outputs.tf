output "support_role_arn" {
  description = "ARN of the AWS Support role, or null outside the home region."
  value       = one(aws_iam_role.support[*].arn)
}

output "access_analyzer_arn" {
  description = "ARN of the account's IAM Access Analyzer in this region, or null when turned off."
  value       = one(aws_accessanalyzer_analyzer.this[*].arn)
}
