# Two calls of one module: one attaches nothing (count 0 with an empty list), one a broad policy
# (terraform-aws-modules/terraform-aws-eventbridge and -step-functions: `var.policies[count.index]`).
module "quiet" {
  source = "./modules/role"
}

module "tracing" {
  source             = "./modules/role"
  attach_policies    = true
  policies           = ["arn:aws:iam::aws:policy/AWSXrayReadOnlyAccess"]
  number_of_policies = 1
}

module "admin" {
  source             = "./modules/role"
  attach_policies    = true
  policies           = ["arn:aws:iam::aws:policy/service-role/AWSLambdaRole", "arn:aws:iam::aws:policy/AdministratorAccess"]
  number_of_policies = 2
}
