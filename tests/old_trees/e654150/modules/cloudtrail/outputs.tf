output "trail_arn" {
  description = "ARN of the trail."
  value       = aws_cloudtrail.this.arn
}

output "trail_home_region" {
  description = "Home region of the multi-region trail."
  value       = aws_cloudtrail.this.home_region
}

output "cloudwatch_log_group_arn" {
  description = "ARN of the KMS-encrypted log group receiving the trail's events."
  value       = aws_cloudwatch_log_group.this.arn
}

output "cloudwatch_delivery_role_arn" {
  description = "ARN of the role CloudTrail assumes to write to the log group."
  value       = aws_iam_role.cloudwatch_delivery.arn
}

output "sns_topic_arn" {
  description = "ARN of the encrypted SNS topic notified of log file deliveries."
  value       = aws_sns_topic.this.arn
}
