# expect: none
# passes: TFGEN_AUDIT_1, TFGEN_AUDIT_2, TFGEN_AUDIT_3, TFGEN_AUDIT_4, TFGEN_AUDIT_5
resource "aws_cloudwatch_log_group" "audit" {
  name              = "audit"
  retention_in_days = 365
  kms_key_id        = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "example-audit-logs"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  kms_key_id                 = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  sns_topic_name             = "audit-events"
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.audit.arn}:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::123456789012:role/trail-to-logs"

  advanced_event_selector {
    name = "All management events"
    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
  }

  advanced_event_selector {
    name = "Artifact object writes"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::S3::Object"]
    }
    field_selector {
      field  = "readOnly"
      equals = ["false"]
    }
  }
}
