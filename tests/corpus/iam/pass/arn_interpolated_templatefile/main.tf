# expect: none
# passes: TFGEN_IAM_2
# The policy is a templatefile() beside the module; its ARNs are built from template variables.
data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

resource "aws_iam_policy" "orders" {
  name = "orders-reader"
  policy = templatefile("${path.module}/orders-policy.json.tpl", {
    partition  = data.aws_partition.current.partition
    region     = data.aws_region.current.name
    account_id = data.aws_caller_identity.current.account_id
  })
}
