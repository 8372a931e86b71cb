locals {
  lambda_managed_policies = [
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/AWSLambda_FullAccess",
  ]
}

resource "aws_iam_role_policy_attachment" "fn" {
  count      = length(local.lambda_managed_policies)
  role       = "fn"
  policy_arn = local.lambda_managed_policies[count.index]
}
