# expect: TFGEN_SECRETS_4
# A key pair's private half made by a module and printed by the root's output: it is shown after
# every apply and kept unmasked by anything that reads the outputs.
module "deployer" {
  source = "./modules/deployer"
  name   = "deployer"
}

output "deployer_private_key" {
  value = module.deployer.private_key
}
