# expect: TFGEN_SECRETS_1
# The root calls a local module whose own file() reads a config with a password in a URL.
module "reporting" {
  source = "./modules/reporting"
  name   = "reporting"
}
