terraform {
  backend "s3" {}
}

locals {
  prefix   = "/flags/${var.environment.name}"
  audit_on = var.environment.inputs.enable_audit == "true"
  many     = var.environment.inputs.replicas > 2
  settings = jsonencode({
    retention = var.environment.inputs.retention_days
    audit     = var.environment.inputs.enable_audit
    tier      = var.environment.inputs.tier
  })
}

resource "aws_ssm_parameter" "settings" {
  name  = "${local.prefix}/settings"
  type  = "String"
  value = local.settings
}

resource "aws_ssm_parameter" "audit" {
  count = local.audit_on ? 1 : 0
  name  = "${local.prefix}/audit"
  type  = "String"
  value = "on"
}

# A comparison with a string literal: true only where Proton passed strings.
resource "aws_ssm_parameter" "thirty_days" {
  count = var.environment.inputs.retention_days == "30" ? 1 : 0
  name  = "${local.prefix}/thirty-days"
  type  = "String"
  value = "${var.environment.inputs.retention_days} days"
}

resource "aws_ssm_parameter" "replica" {
  count = var.environment.inputs.replicas
  name  = "${local.prefix}/replica/${count.index}"
  type  = "String"
  value = tonumber(var.environment.inputs.replicas) + count.index
}

resource "aws_ssm_parameter" "named" {
  for_each = toset(split(",", var.environment.inputs.names))
  name     = "${local.prefix}/name/${each.key}"
  type     = "String"
  value    = local.many ? "many" : "few"
}

resource "aws_ssm_parameter" "banner" {
  name = "${local.prefix}/banner"
  type = "String"
  value = templatefile("${path.module}/banner.tftpl", {
    tier     = var.environment.inputs.tier
    audit    = var.environment.inputs.enable_audit
    replicas = var.environment.inputs.replicas
  })
}

resource "aws_cloudwatch_log_group" "audit" {
  name              = "${local.prefix}/audit"
  retention_in_days = var.environment.inputs.retention_days
}

resource "aws_s3_bucket" "data" {
  bucket = "flags-${var.environment.name}-data"
  tags = {
    Audit = var.environment.inputs.enable_audit
    Team  = var.environment.inputs.team
  }
}

module "labels" {
  source = "./modules/labels"
  prefix = local.prefix
  audit  = var.environment.inputs.enable_audit
}

output "Settings" {
  value = local.settings
}

output "Audit" {
  value = var.environment.inputs.enable_audit
}

output "Replicas" {
  value = var.environment.inputs.replicas
}
