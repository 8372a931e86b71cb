# expect: TFGEN_AUDIT_1
# Global service events are recorded only in prod; the environment defaults to "dev", so this
# trail drops IAM and STS calls.
variable "environment" {
  type    = string
  default = "dev"
}

locals {
  is_prod = var.environment == "prod"
}

resource "aws_cloudtrail" "main" {
  name                          = "main"
  s3_bucket_name                = "example-audit-logs"
  kms_key_id                    = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  sns_topic_name                = "audit-events"
  cloud_watch_logs_group_arn    = "arn:aws:logs:eu-west-1:123456789012:log-group:audit:*"
  cloud_watch_logs_role_arn     = "arn:aws:iam::123456789012:role/trail-to-logs"
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  include_global_service_events = local.is_prod ? true : false
}
