# expect: none
# passes: TFGEN_IAM_7
# CloudTrail may write only for this account's trail (aws:SourceArn), as its guide documents.
resource "aws_s3_bucket_policy" "trail" {
  bucket = "example-audit-trail"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Write"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "arn:aws:s3:::example-audit-trail/AWSLogs/123456789012/*"
        Condition = {
          StringEquals = {
            "s3:x-amz-acl"  = "bucket-owner-full-control"
            "aws:SourceArn" = "arn:aws:cloudtrail:eu-west-1:123456789012:trail/audit"
          }
        }
      },
    ]
  })
}
