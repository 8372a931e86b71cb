resource "aws_cloudtrail" "t" {
  name                       = "t"
  s3_bucket_name             = "b"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  cloud_watch_logs_group_arn = "arn:aws:logs:eu-west-1:123456789012:log-group:audit:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::123456789012:role/trail"
  advanced_event_selector {
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
  }
}
