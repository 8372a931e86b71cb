module "again" {
  source = "../modules/bucket"
  name   = "example-again"
}
