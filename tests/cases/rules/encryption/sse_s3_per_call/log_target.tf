resource "aws_kms_key" "data" {
  enable_key_rotation = true
}

# The server access log target: SSE-S3, since log delivery does not support SSE-KMS.
module "logs" {
  source      = "./modules/s3"
  name        = "logs"
  kms_key_arn = null
}

module "data" {
  source      = "./modules/s3"
  name        = "data"
  kms_key_arn = aws_kms_key.data.arn
  access_logging = {
    target_bucket = module.logs.bucket_id
  }
}
