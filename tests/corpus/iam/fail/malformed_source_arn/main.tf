# expect: TFGEN_IAM_2
# Both confused-deputy keys, but the SourceArn has the extra colon of a documentation example.
resource "aws_iam_role" "proton_service" {
  name = "proton-service"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "proton.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = "123456789012" }
        ArnLike      = { "aws:SourceArn" = "arn:aws::proton:eu-west-1:123456789012:environment/*" }
      }
    }]
  })
}
