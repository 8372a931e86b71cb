output "ServiceName" {
  value = aws_ecs_service.web.name
}
