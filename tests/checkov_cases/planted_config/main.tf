# A bucket without versioning: checkov's CKV_AWS_21 fails it, whatever a config file near it says.
resource "aws_s3_bucket" "logs" {
  bucket = "planted-config-logs"
}
