# expect: TFGEN_IAM_3
locals {
  queue_policy = {
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = ["*"] }
      Action    = "sqs:SendMessage"
      Resource  = "arn:aws:sqs:eu-west-1:123456789012:jobs"
    }]
  }
}

resource "aws_sqs_queue_policy" "jobs" {
  queue_url = "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs"
  policy    = jsonencode(local.queue_policy)
}
