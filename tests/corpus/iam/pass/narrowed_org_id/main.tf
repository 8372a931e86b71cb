# expect: none
# passes: TFGEN_IAM_3
# A wildcard principal pinned to one organization (aws:PrincipalOrgID) or to an OU path
# (ForAnyValue:StringLike aws:PrincipalOrgPaths, the documented form of that multi-valued key).
resource "aws_s3_bucket_policy" "artifacts" {
  bucket = "example-org-artifacts"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "OrgRead"
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = "arn:aws:s3:::example-org-artifacts/*"
        Condition = {
          StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" }
        }
      },
      {
        Sid       = "WorkloadsOuList"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "s3:ListBucket"
        Resource  = "arn:aws:s3:::example-org-artifacts"
        Condition = {
          "ForAnyValue:StringLike" = { "aws:PrincipalOrgPaths" = ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"] }
          Bool                     = { "aws:SecureTransport" = "true" }
        }
      },
    ]
  })
}
