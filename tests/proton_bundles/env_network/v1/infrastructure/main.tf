/* Network environment.
   A comment that mentions var.environment.inputs.vpc_cidr must stay as written. */
locals {
  # name: environment name plus the optional suffix
  name   = "${var.environment.name}${lookup(var.environment.inputs, "name_suffix", "")}"
  has_suffix   =   contains(keys(var.environment.inputs), "name_suffix")   # odd spacing kept
  retention = try(var.environment.inputs.retention_days, 30)
  has_retention = can(var.environment.inputs.retention_days)
  literal = "var.environment.inputs.tier stays literal text, and so does $${var.environment.name}"
}

resource "aws_vpc" "this" {
  cidr_block           = var.environment.inputs.vpc_cidr
  enable_dns_hostnames = var.environment.inputs.enable_dns
  tags = merge(var.environment.inputs.extra_tags, {
    Name = local.name // trailing comment
    Team = var.environment.inputs.team
  })
}

resource "aws_subnet" "public" {
  count             = length(var.environment.inputs.availability_zones)
  vpc_id            = aws_vpc.this.id
  availability_zone = var.environment.inputs.availability_zones[count.index]
  cidr_block        = cidrsubnet(var.environment.inputs.vpc_cidr, 4, count.index)
}

resource "aws_cloudwatch_log_group" "flow" {
  name              = "/network/${local.name}"
  retention_in_days = local.has_retention ? local.retention : 30
}

# The bundle's own mistake: an AWS managed key where a customer managed key belongs.
resource "aws_sns_topic" "alerts" {
  name              = "${local.name}-alerts"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_ssm_parameter" "summary" {
  name  = "/network/${var.environment.name}/summary"
  type  = "String"
  value = <<-EOT
    tier=${var.environment.inputs.tier}
    nat=${var.environment.inputs.nat_gateways} ratio=${var.environment.inputs.flow_log_ratio}
    endpoint=${var.environment.inputs.endpoint.service}
    endpoint_json=${jsonencode(var.environment.inputs.endpoint)}
    %{ if var.environment.inputs.tier == "prod" }production%{ endif }
  EOT
}
