# expect: CKV_AWS_40
resource "aws_iam_user_policy_attachment" "alice" {
  user       = "alice"
  policy_arn = "arn:aws:iam::123456789012:policy/read-only"
}
