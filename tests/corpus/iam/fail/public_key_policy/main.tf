# expect: TFGEN_IAM_3, CKV_AWS_33
resource "aws_kms_key" "shared" {
  description         = "shared key"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Everyone"
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = ["kms:Decrypt", "kms:Encrypt"]
      Resource  = "*"
    }]
  })
}
