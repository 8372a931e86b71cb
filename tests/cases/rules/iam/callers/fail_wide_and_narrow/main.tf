# Two instances of one module: the reader's policy is narrow, the admin's is every action.
module "reader" {
  source  = "./modules/p"
  actions = ["s3:GetObject"]
}

module "admin" {
  source  = "./modules/p"
  actions = ["*"]
}
