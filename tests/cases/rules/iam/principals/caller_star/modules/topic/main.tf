variable "publishers" {
  type = list(string)
}

resource "aws_sns_topic_policy" "this" {
  arn = "arn:aws:sns:eu-west-1:123456789012:alerts"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = var.publishers }
      Action    = "sns:Publish"
      Resource  = "arn:aws:sns:eu-west-1:123456789012:alerts"
    }]
  })
}
