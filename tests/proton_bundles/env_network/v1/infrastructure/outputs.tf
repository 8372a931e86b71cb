output "VpcId" {
  value = aws_vpc.this.id
}

output "AlertsTopicArn" {
  value = aws_sns_topic.alerts.arn
}
