# Nothing checkov has a check for: it may legitimately evaluate nothing here.
locals {
  name = "demo"
}

resource "null_resource" "noop" {
  triggers = {
    name = local.name
  }
}
