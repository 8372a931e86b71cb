variable "attach_policies" {
  type    = bool
  default = false
}

variable "policies" {
  type    = list(string)
  default = []
}

variable "number_of_policies" {
  type    = number
  default = 0
}

resource "aws_iam_role_policy_attachment" "additional_many" {
  count = var.attach_policies ? var.number_of_policies : 0

  role       = "app"
  policy_arn = var.policies[count.index]
}
