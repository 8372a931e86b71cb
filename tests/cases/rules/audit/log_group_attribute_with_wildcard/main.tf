resource "aws_cloudtrail" "t" {
  name                       = "t"
  s3_bucket_name             = "b"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.a.arn}:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::123456789012:role/trail"

}
