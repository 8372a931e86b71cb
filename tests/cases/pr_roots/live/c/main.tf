module "app" {
  source = "../../modules/app"
  name   = "c"
}
