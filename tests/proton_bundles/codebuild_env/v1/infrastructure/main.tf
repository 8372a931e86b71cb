terraform {
  backend "s3" {}
}

module "logs" {
  source    = "./src"
  name      = var.environment.name
  retention = var.environment.inputs.retention_days
}

output "LogGroup" {
  value = module.logs.name
}
