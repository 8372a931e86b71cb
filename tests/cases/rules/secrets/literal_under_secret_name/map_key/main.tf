resource "aws_lambda_function" "f" {
  environment {
    variables = {
      DB_PASSWORD = "hunter2hunter2"
    }
  }
}
