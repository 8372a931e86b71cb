module "shared" {
  source     = "../../modules/shared"
  name       = "b"
  versioning = false
  rotate     = false
}
