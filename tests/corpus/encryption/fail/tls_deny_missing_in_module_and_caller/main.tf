# expect: TFGEN_ENC_2
# Neither the module nor its caller attaches a bucket policy.
resource "aws_kms_key" "data" {
  description             = "data"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

module "exports" {
  source      = "./modules/bucket"
  name        = "example-exports"
  kms_key_arn = aws_kms_key.data.arn
}
