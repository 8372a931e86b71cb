# A module whose policy allows the actions its caller passes, on every resource: the verdict of
# TFGEN_IAM_4/5 on it depends on the caller's value (["*"] fails both).
variable "actions" {
  type = list(string)
}

resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }] })
}
