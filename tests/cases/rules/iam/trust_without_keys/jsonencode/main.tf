resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "proton.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}
