locals {
  # environment outputs arrive as var.environment.outputs.<Name> in Proton
  family      = "${var.service.name}-${var.service_instance.name}"
  uses_bucket = contains(keys(var.service_instance.inputs), "code_bucket")
  extra_env = can(var.service_instance.components.default) ? [
    for k, v in var.service_instance.components.default.outputs : { name = k, value = v }
  ] : []
}

resource "aws_security_group" "service" {
  name   = local.family
  vpc_id = var.environment.outputs.VpcId
  # Proton's own tags for the deployment (proton:account, proton:template, ...), from its tfvars
  tags = merge(var.proton_tags, { Name = local.family })
}

resource "aws_ecs_task_definition" "web" {
  family                   = local.family
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = var.environment.outputs.TaskExecutionRoleArn
  container_definitions = jsonencode([{
    name         = var.service_instance.name
    image        = var.service_instance.inputs.image
    portMappings = [{ containerPort = var.service_instance.inputs.port }]
    environment  = concat(local.extra_env, [{ name = "ENV", value = var.environment.name }])
  }])
}

resource "aws_ecs_service" "web" {
  name            = local.family
  cluster         = var.environment.outputs.ClusterName
  task_definition = aws_ecs_task_definition.web.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [var.environment.outputs.PrivateSubnetId]
    security_groups = [aws_security_group.service.id]
  }
}
