# expect: TFGEN_IAM_5
# A "temporary" grant whose start date has long passed: attaching any managed policy to any
# user (itself included) is allowed today.
variable "support_users_path" {
  type    = string
  default = "/support/"
}

data "aws_iam_policy_document" "support" {
  statement {
    actions   = ["iam:AttachUserPolicy", "iam:ListAttachedUserPolicies"]
    resources = ["arn:aws:iam::123456789012:user${var.support_users_path}*"]

    condition {
      test     = "DateGreaterThan"
      variable = "aws:CurrentTime"
      values   = ["2021-03-01T00:00:00Z"]
    }
  }
}

resource "aws_iam_group_policy" "support" {
  name   = "support"
  group  = "support"
  policy = data.aws_iam_policy_document.support.json
}
