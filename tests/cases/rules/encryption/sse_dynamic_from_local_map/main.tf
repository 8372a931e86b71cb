# The community s3-bucket module's shape: dynamic `rule` and `apply_server_side_encryption_by_default`
# blocks from a map (here a local), aws:kms with the customer managed key.
resource "aws_kms_key" "data" {
  enable_key_rotation = true
}

locals {
  encryption = {
    rule = {
      bucket_key_enabled = true
      apply_server_side_encryption_by_default = {
        sse_algorithm     = "aws:kms"
        kms_master_key_id = aws_kms_key.data.arn
      }
    }
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = "data"

  dynamic "rule" {
    for_each = try(flatten([local.encryption["rule"]]), [])
    content {
      bucket_key_enabled = try(rule.value.bucket_key_enabled, null)

      dynamic "apply_server_side_encryption_by_default" {
        for_each = try([rule.value.apply_server_side_encryption_by_default], [])
        content {
          sse_algorithm     = apply_server_side_encryption_by_default.value.sse_algorithm
          kms_master_key_id = try(apply_server_side_encryption_by_default.value.kms_master_key_id, null)
        }
      }
    }
  }
}
