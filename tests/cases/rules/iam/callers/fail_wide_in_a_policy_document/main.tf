# Two instances of one module whose policy is a policy document built from the caller's actions.
module "reader" {
  source  = "../_modules/actions_in_a_document"
  actions = ["s3:GetObject"]
}

module "admin" {
  source  = "../_modules/actions_in_a_document"
  actions = ["*"]
}
