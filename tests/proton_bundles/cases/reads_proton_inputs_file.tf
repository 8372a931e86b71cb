# Seen in a public bundle: the template reads the inputs file Proton writes at deploy time.
locals {
  # proton.auto.tfvars.json in a comment is harmless
  local_data = jsondecode(file("${path.module}/proton.auto.tfvars.json"))
}

output "region" {
  value = local.local_data.environment.inputs.aws_region
}
