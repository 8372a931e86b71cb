module "alerts" {
  source     = "./modules/topic"
  publishers = ["*"]
}
