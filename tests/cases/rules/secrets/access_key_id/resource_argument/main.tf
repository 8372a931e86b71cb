resource "aws_iam_access_key" "k" {
  user = "u"
  pgp_key = "AKIAIOSFODNN7EXAMPLE"
}
