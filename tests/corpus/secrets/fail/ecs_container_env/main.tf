# expect: TFGEN_SECRETS_2
resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([
    {
      name  = "app"
      image = "example/app:1.0"
      environment = [
        { name = "LOG_LEVEL", value = "info" },
        { name = "DB_PASSWORD", value = "p4ssw0rd-in-task-def" },
      ]
    }
  ])
}
