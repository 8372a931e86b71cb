# expect: TFGEN_IAM_5
# `iam:Put*` on every role, behind a condition every temporary-credential request meets.
resource "aws_iam_role_policy" "ops" {
  name = "ops-inline"
  role = "ops"

  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["iam:Put*", "iam:Get*", "iam:List*"],
          "Resource": "arn:aws:iam::123456789012:role/*",
          "Condition": {"Null": {"aws:TokenIssueTime": "false"}}
        }
      ]
    }
  EOT
}
