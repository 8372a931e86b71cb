# The deployer passes one named role; the reader reads every object. No instance passes any role.
module "deployer" {
  source    = "../_modules/actions_on_resources"
  actions   = ["iam:PassRole"]
  resources = ["arn:aws:iam::123456789012:role/app"]
}

module "reader" {
  source    = "../_modules/actions_on_resources"
  actions   = ["s3:GetObject"]
  resources = ["*"]
}
