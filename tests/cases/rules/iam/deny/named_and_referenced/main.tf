# The role named by reference in one place and by its name in the other: one principal.
resource "aws_iam_role" "worker" {
  name               = "worker"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_iam_policy" "broad" {
  name   = "broad"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["iam:PassRole", "ec2:RunInstances"], Resource = "*" }] })
}

resource "aws_iam_policy_attachment" "broad" {
  name       = "broad"
  roles      = [aws_iam_role.worker.name]
  policy_arn = aws_iam_policy.broad.arn
}

resource "aws_iam_role_policy" "no_pass" {
  name   = "no-pass"
  role   = "worker"
  policy = jsonencode({ Statement = [{ Effect = "Deny", Action = "iam:PassRole", Resource = "*" }] })
}
