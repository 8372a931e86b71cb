# expect: TFGEN_ENC_2
# The module's toggle defaults to true, but its only caller turns it off.
module "exports" {
  source      = "./modules/bucket"
  name        = "example-exports"
  enforce_tls = false
}
