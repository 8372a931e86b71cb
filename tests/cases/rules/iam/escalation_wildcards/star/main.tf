resource "aws_iam_user_policy" "p" {
  user   = "ci"
  policy = <<-EOT
    {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
  EOT
}
