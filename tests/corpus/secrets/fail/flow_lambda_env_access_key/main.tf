# expect: TFGEN_SECRETS_4
# An access key made for a service user and handed to a function in its environment (through a
# local map, and one instance of a counted key): lambda:GetFunctionConfiguration shows it.
resource "aws_iam_user" "uploader" {
  name = "uploader"
}

resource "aws_iam_access_key" "uploader" {
  count = 1
  user  = aws_iam_user.uploader.name
}

locals {
  uploader_env = {
    UPLOAD_KEY_ID     = aws_iam_access_key.uploader[0].id
    UPLOAD_SECRET_KEY = aws_iam_access_key.uploader[0].secret
  }
}

resource "aws_lambda_function" "upload" {
  function_name = "upload"
  role          = "arn:aws:iam::123456789012:role/upload"
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "upload.zip"
  environment {
    variables = merge(local.uploader_env, { BUCKET = "uploads" })
  }
}
