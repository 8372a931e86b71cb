# expect: TFGEN_SECRETS_1
# The root module calls a shared module that reads its key from the ROOT's directory
# (`${path.root}`, not `${path.module}`): the key committed under tls/ beside the root is in the repository.
module "listener" {
  source      = "./modules/listener"
  name        = "edge"
  certificate = "tls/edge.crt"
}
