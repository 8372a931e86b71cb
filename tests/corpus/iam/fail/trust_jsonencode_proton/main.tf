# expect: TFGEN_IAM_1
# A Proton service role whose trust policy (jsonencode) has no confused-deputy conditions.
resource "aws_iam_role" "proton_service" {
  name = "proton-service"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "proton.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}
