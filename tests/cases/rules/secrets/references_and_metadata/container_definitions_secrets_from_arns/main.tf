# Container definitions as a JSON heredoc that take their secrets from Secrets Manager by ARN.
resource "aws_ecs_task_definition" "app" {
  family                = "app"
  container_definitions = <<EOF
[
  {
    "name": "my_service",
    "image": "example/app:1.0",
    "environment": [
      { "name": "ENVIRONMENT", "value": "development" },
      { "name": "PASSWORD_LENGTH", "value": "20" }
    ],
    "secrets": [
      { "name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf" }
    ]
  }
]
EOF
}
