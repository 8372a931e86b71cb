# expect: TFGEN_AUDIT_3
# The selector's read/write type comes from a variable that terraform.tfvars sets to ReadOnly.
variable "management_events" {
  type    = string
  default = "All"
}

resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "example-audit-logs"
  kms_key_id                 = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  sns_topic_name             = "audit-events"
  cloud_watch_logs_group_arn = "arn:aws:logs:eu-west-1:123456789012:log-group:audit:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::123456789012:role/trail-to-logs"
  is_multi_region_trail      = true
  enable_log_file_validation = true

  event_selector {
    read_write_type           = var.management_events
    include_management_events = true
  }
}
