# expect: none
# passes: TFGEN_IAM_2
# file() reads the policy as written: `${aws:PrincipalAccount}` is an IAM policy variable,
# resolved by IAM at request time, so that part of the ARN is not checked.
resource "aws_iam_policy" "assume_app_roles" {
  name   = "assume-app-roles"
  policy = file("${path.module}/assume-app-roles.json")
}
