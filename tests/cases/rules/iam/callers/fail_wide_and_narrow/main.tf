# Two instances of one module: the reader's policy is narrow, the admin's is every action.
module "reader" {
  source  = "../_modules/actions_on_everything"
  actions = ["s3:GetObject"]
}

module "admin" {
  source  = "../_modules/actions_on_everything"
  actions = ["*"]
}
