# expect: TFGEN_IAM_3
# Any principal of any account can carry a tag team=data: aws:PrincipalTag narrows nothing.
resource "aws_s3_bucket_policy" "reports" {
  bucket = "example-reports"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "TeamRead"
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::example-reports/*"
      Condition = {
        StringEquals = { "aws:PrincipalTag/team" = "data" }
      }
    }]
  })
}
