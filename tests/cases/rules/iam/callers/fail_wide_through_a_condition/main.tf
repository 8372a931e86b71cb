# The reader takes the module's own narrow policy document; the admin's extra actions replace it.
module "reader" {
  source = "./modules/p"
}

module "admin" {
  source        = "./modules/p"
  extra_actions = ["*"]
}
