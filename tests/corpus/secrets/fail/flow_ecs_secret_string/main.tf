# expect: TFGEN_SECRETS_4
# A secret read from Secrets Manager and written into a container's environment: the task
# definition (ecs:DescribeTaskDefinition) holds its value. The `secrets` list with `valueFrom`
# is the way to pass it.
data "aws_secretsmanager_secret_version" "api" {
  secret_id = "prod/api"
}

resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([
    {
      name  = "api"
      image = "public.ecr.aws/nginx/nginx:latest"
      environment = [
        { name = "API_KEY", value = jsondecode(data.aws_secretsmanager_secret_version.api.secret_string)["api_key"] },
      ]
    }
  ])
}
