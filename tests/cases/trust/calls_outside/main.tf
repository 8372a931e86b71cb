# Calls a module three directories up: outside the scanned PATH.
module "shared" {
  source = "../../../outside/module"
}

module "linked" {
  source = "./linked"
}
