# The reader takes the module's own narrow policy document; the admin's extra actions replace it.
module "reader" {
  source = "../_modules/actions_or_document"
}

module "admin" {
  source        = "../_modules/actions_or_document"
  extra_actions = ["*"]
}
