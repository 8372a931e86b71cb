# expect: none
# passes: TFGEN_IAM_2, TFGEN_IAM_3
# A wildcard principal in a Deny, and a service principal narrowed by aws:SourceArn: not public.
resource "aws_s3_bucket_policy" "audit" {
  bucket = "example-audit-logs"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "DenyInsecureTransport",
          "Effect": "Deny",
          "Principal": "*",
          "Action": "s3:*",
          "Resource": ["arn:aws:s3:::example-audit-logs", "arn:aws:s3:::example-audit-logs/*"],
          "Condition": {"Bool": {"aws:SecureTransport": "false"}}
        },
        {
          "Sid": "CloudTrailWrite",
          "Effect": "Allow",
          "Principal": {"Service": "cloudtrail.amazonaws.com"},
          "Action": "s3:PutObject",
          "Resource": "arn:aws:s3:::example-audit-logs/AWSLogs/123456789012/*",
          "Condition": {
            "StringEquals": {
              "s3:x-amz-acl": "bucket-owner-full-control",
              "aws:SourceArn": "arn:aws:cloudtrail:eu-west-1:123456789012:trail/audit"
            }
          }
        }
      ]
    }
  EOT
}
