module "shared" {
  source = "../../modules/shared"
  conf   = "plain"
}
