# One resource of a type checkov 3.3.30 has checks for (CKV_AWS_26): a report without a
# single result for it cannot be right. tfgen's own rules pass it.
resource "aws_sns_topic" "alerts" {
  name              = "alerts"
  kms_master_key_id = "alias/alerts"
}
