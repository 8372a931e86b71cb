# expect: TFGEN_IAM_1
# Heredoc JSON trust policy: aws:SourceAccount only, no aws:SourceArn.
resource "aws_iam_role" "codebuild" {
  name               = "proton-codebuild"
  assume_role_policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": {"Service": ["codebuild.amazonaws.com"]},
          "Action": "sts:AssumeRole",
          "Condition": {"StringEquals": {"aws:SourceAccount": "${var.account_id}"}}
        }
      ]
    }
  EOT
}

variable "account_id" {
  type        = string
  description = "The account id."
}
