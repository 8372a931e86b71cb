terraform {
  backend "s3" {}
}

resource "aws_ssm_parameter" "deploy" {
  for_each = { for instance in var.service_instances : instance.name => instance }
  name     = "/pipeline/${var.service.name}/${each.key}"
  type     = "String"
  value    = "${var.pipeline.inputs.dockerfile}:${each.value.inputs.port}:${each.value.environment.name}"
}

output "PipelineRepository" {
  value = "${var.service.repository_id}@${var.service.branch_name}"
}
