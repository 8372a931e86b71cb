variable "policy_arn" {
  type = string
}

resource "aws_iam_user_policy_attachment" "u" {
  user       = "ci"
  policy_arn = var.policy_arn
}
