resource "aws_cloudtrail" "t" {
  name                          = "t"
  s3_bucket_name                = "b"
  include_global_service_events = false
}
