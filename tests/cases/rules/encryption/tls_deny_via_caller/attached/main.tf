module "b" {
  source = "./modules/bucket"
  name   = "example-b"
}

resource "aws_s3_bucket_policy" "b" {
  bucket = module.b.id
  policy = jsonencode({
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = "*"
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}
