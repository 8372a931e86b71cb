# Two instances of one module whose policy is a policy document built from the caller's actions.
module "reader" {
  source  = "./modules/p"
  actions = ["s3:GetObject"]
}

module "admin" {
  source  = "./modules/p"
  actions = ["*"]
}
