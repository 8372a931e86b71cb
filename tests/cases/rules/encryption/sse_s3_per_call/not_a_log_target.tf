resource "aws_kms_key" "data" {
  enable_key_rotation = true
}

# No caller makes this bucket a log target: its SSE-S3 is a finding.
module "reports" {
  source = "./modules/s3"
  name   = "reports"
}

module "data" {
  source      = "./modules/s3"
  name        = "data"
  kms_key_arn = aws_kms_key.data.arn
}
