# The Deny is attached only when var.attach_guard is true, and it defaults to false: Terraform
# creates no attachment, so nothing takes the grant back.
variable "attach_guard" {
  type    = bool
  default = false
}

resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_iam_role_policy" "grant" {
  name   = "grant"
  role   = aws_iam_role.app.id
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "iam:*", Resource = "*" }] })
}

resource "aws_iam_policy" "guard" {
  name   = "guard"
  policy = jsonencode({ Statement = [{ Effect = "Deny", Action = "iam:*", Resource = "*" }] })
}

resource "aws_iam_role_policy_attachment" "guard" {
  count      = var.attach_guard ? 1 : 0
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.guard.arn
}
