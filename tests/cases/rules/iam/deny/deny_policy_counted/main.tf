# A Deny of everything in an inline policy Terraform creates zero times: the AWS managed policy
# still grants everything.
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.app.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role_policy" "guard" {
  count  = 0
  name   = "guard"
  role   = aws_iam_role.app.id
  policy = jsonencode({ Statement = [{ Effect = "Deny", Action = "*", Resource = "*" }] })
}
