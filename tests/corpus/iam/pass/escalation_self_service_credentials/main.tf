# expect: none
# passes: TFGEN_IAM_5
# AWS's documented self-service policy: each user manages their own access keys and password
# (`user/${aws:username}`), nobody else's.
data "aws_iam_policy_document" "self_service" {
  statement {
    sid = "OwnCredentials"
    actions = [
      "iam:CreateAccessKey",
      "iam:DeleteAccessKey",
      "iam:ListAccessKeys",
      "iam:UpdateAccessKey",
      "iam:CreateLoginProfile",
      "iam:UpdateLoginProfile",
      "iam:ChangePassword",
    ]
    resources = ["arn:aws:iam::*:user/$${aws:username}"]
  }
}

resource "aws_iam_group_policy" "self_service" {
  name   = "self-service"
  group  = "everyone"
  policy = data.aws_iam_policy_document.self_service.json
}
