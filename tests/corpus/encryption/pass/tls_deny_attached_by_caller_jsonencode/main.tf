# expect: none
# passes: TFGEN_ENC_2
# The caller attaches the TLS deny written with jsonencode, through the module's arn/id outputs.
resource "aws_kms_key" "data" {
  description             = "data"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

module "archive" {
  source      = "./modules/bucket"
  name        = "example-archive"
  kms_key_arn = aws_kms_key.data.arn
}

resource "aws_s3_bucket_policy" "archive" {
  bucket = module.archive.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [module.archive.arn, "${module.archive.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}
