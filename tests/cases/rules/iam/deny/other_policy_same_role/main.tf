# The issue's example split over two inline policies of one role: the Deny takes the grant back.
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_iam_role_policy" "allow" {
  name   = "allow"
  role   = aws_iam_role.app.name
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "iam:*", Resource = "*" }] })
}

resource "aws_iam_role_policy" "deny" {
  name   = "deny"
  role   = aws_iam_role.app.id
  policy = jsonencode({ Statement = [{ Effect = "Deny", Action = "iam:*", Resource = "*" }] })
}
