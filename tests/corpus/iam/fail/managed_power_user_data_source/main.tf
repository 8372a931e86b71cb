# expect: TFGEN_IAM_6
# PowerUserAccess looked up by name and given to a group; IAMFullAccess in a role's list.
data "aws_iam_policy" "power_user" {
  name = "PowerUserAccess"
}

resource "aws_iam_group_policy_attachment" "developers" {
  group      = "developers"
  policy_arn = data.aws_iam_policy.power_user.arn
}

resource "aws_iam_role" "identity_admin" {
  name                = "identity-admin"
  managed_policy_arns = [format("arn:%s:iam::aws:policy/IAMFullAccess", "aws")]
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::123456789012:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
