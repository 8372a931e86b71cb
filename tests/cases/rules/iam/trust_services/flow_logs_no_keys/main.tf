# The flow log role of the aws_flow_log example: the service trusted with no condition.
resource "aws_iam_role" "flow_log" {
  name = "flow-log"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "vpc-flow-logs.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}
