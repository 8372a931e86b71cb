# expect: TFGEN_IAM_4
# The policy lives in a JSON file next to the module (file()); checkov does not read it.
resource "aws_iam_role_policy" "admin" {
  name   = "admin"
  role   = "ops"
  policy = file("${path.module}/admin.json")
}
