# expect: TFGEN_IAM_6
# Managed policies attached one per element of a list whose default holds a *FullAccess policy.
variable "managed_policy_arns" {
  type = list(string)
  default = [
    "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
    "arn:aws:iam::aws:policy/AmazonS3FullAccess",
  ]
}

resource "aws_iam_role_policy_attachment" "worker" {
  for_each   = toset(var.managed_policy_arns)
  role       = "worker"
  policy_arn = each.value
}
