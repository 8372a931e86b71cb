# expect: TFGEN_IAM_3
# An Allow for everyone *outside* the organization: a negated operator widens, it never narrows.
resource "aws_sns_topic" "alerts" {
  name              = "alerts"
  kms_master_key_id = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

resource "aws_sns_topic_policy" "alerts" {
  arn    = aws_sns_topic.alerts.arn
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "PublishOutsideOrg",
          "Effect": "Allow",
          "Principal": "*",
          "Action": "sns:Publish",
          "Resource": "arn:aws:sns:eu-west-1:123456789012:alerts",
          "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
        }
      ]
    }
  EOT
}
