# expect: TFGEN_IAM_3
# The caller supplies sts:ExternalId: anyone in any account who knows it may assume the role.
resource "aws_iam_role" "vendor" {
  name = "vendor-access"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "sts:ExternalId" = "7f3c2a91-vendor" }
      }
    }]
  })
}
