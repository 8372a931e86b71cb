# The deployer passes one named role; the reader reads every object. No instance passes any role.
module "deployer" {
  source    = "./modules/p"
  actions   = ["iam:PassRole"]
  resources = ["arn:aws:iam::123456789012:role/app"]
}

module "reader" {
  source    = "./modules/p"
  actions   = ["s3:GetObject"]
  resources = ["*"]
}
