output "ServiceName" {
  value = aws_ecs_service.web.name
}

# The bundle's own input, not from the schema (a self-managed pipeline passed it with -var).
variable "log_level" {
  type = string
}

output "LogLevel" {
  value = var.log_level
}
