# Container definitions written as a JSON heredoc rather than jsonencode().
resource "aws_ecs_task_definition" "app" {
  family                = "app"
  container_definitions = <<EOF
[
  {
    "name": "my_service",
    "image": "example/app:1.0",
    "environment": [
      { "name": "ENVIRONMENT", "value": "development" },
      { "name": "DATABASE_PASSWORD", "value": "oh-no-a-literal" }
    ]
  }
]
EOF
}
