variable "record_management_events" {
  type = bool
}

variable "global_events" {
  type = bool
}

resource "aws_cloudtrail" "main" {
  name                          = "main"
  s3_bucket_name                = "logs"
  include_global_service_events = var.global_events ? true : false

  event_selector {
    read_write_type           = "All"
    include_management_events = var.record_management_events
  }
}
