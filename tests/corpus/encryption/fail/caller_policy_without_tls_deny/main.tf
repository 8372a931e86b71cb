# expect: TFGEN_ENC_2
# The caller attaches a bucket policy to the module's bucket, but it has no TLS deny.
resource "aws_kms_key" "data" {
  description             = "data"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

module "uploads" {
  source      = "./modules/bucket"
  name        = "example-uploads"
  kms_key_arn = aws_kms_key.data.arn
}

resource "aws_s3_bucket_policy" "uploads" {
  bucket = module.uploads.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Readers"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::123456789012:role/reader" }
      Action    = "s3:GetObject"
      Resource  = "${module.uploads.arn}/*"
    }]
  })
}
