# expect: CKV_AWS_158
resource "aws_cloudwatch_log_group" "app" {
  name              = "/app/prod"
  retention_in_days = 365
}
