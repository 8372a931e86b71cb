output "alarm_topic_arn" {
  description = "ARN of the encrypted SNS topic the CIS alarms notify, or null when they are off."
  value       = one(aws_sns_topic.alarms[*].arn)
}

output "cis_alarm_names" {
  description = "CloudWatch alarm name by CIS control."
  value       = { for key, alarm in aws_cloudwatch_metric_alarm.cis : local.cis_alarms[key].control => alarm.alarm_name }
}

output "config_role_arn" {
  description = "ARN of the role AWS Config records and delivers as (created by the home region's call), or null."
  value       = local.config_role_arn

  # Another region's delivery channel checks at creation that the role can write to the bucket.
  depends_on = [aws_iam_role_policy_attachment.config, aws_iam_role_policy.config_delivery]
}

output "config_recorder_name" {
  description = "Name of this region's Config recorder, or null when it is off."
  value       = one(aws_config_configuration_recorder.this[*].name)
}

output "guardduty_detector_id" {
  description = "ID of this region's GuardDuty detector, or null when it is off."
  value       = one(aws_guardduty_detector.this[*].id)
}

output "security_hub_cis_subscription_arn" {
  description = "ARN of this region's CIS v3.0.0 standard subscription, or null when Security Hub is off."
  value       = one(aws_securityhub_standards_subscription.cis[*].id)
}
