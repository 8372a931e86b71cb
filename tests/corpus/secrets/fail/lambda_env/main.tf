# expect: TFGEN_SECRETS_2
resource "aws_lambda_function" "notifier" {
  function_name = "notifier"
  role          = "arn:aws:iam::123456789012:role/notifier"
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "notifier.zip"
  environment {
    variables = {
      SLACK_CHANNEL = "#alerts"
      API_TOKEN     = "tok-5a1b2c3d4e5f6a7b8c9d"
    }
  }
}
