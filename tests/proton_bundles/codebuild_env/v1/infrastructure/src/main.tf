variable "name" {
  type = string
}

variable "retention" {}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/codebuild/${var.name}"
  retention_in_days = var.retention
}

output "name" {
  value = aws_cloudwatch_log_group.this.name
}
