variable "admin_policy" {
  type    = string
  default = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_group_policy_attachment" "ops" {
  group      = "ops"
  policy_arn = var.admin_policy
}
