# expect: TFGEN_SECRETS_4
# The variable that sets the database's master password also goes to a build as a PLAINTEXT
# variable (the default type): anyone who can read the project reads the password.
variable "db_password" {
  type = string
}

resource "aws_db_instance" "app" {
  identifier          = "app"
  engine              = "postgres"
  instance_class      = "db.t4g.micro"
  allocated_storage   = 20
  username            = "app"
  password            = var.db_password
  skip_final_snapshot = true
}

resource "aws_codebuild_project" "migrate" {
  name         = "migrate"
  service_role = "arn:aws:iam::123456789012:role/codebuild"
  artifacts {
    type = "NO_ARTIFACTS"
  }
  environment {
    compute_type = "BUILD_GENERAL1_SMALL"
    image        = "aws/codebuild/standard:7.0"
    type         = "LINUX_CONTAINER"
    environment_variable {
      name  = "DB_HOST"
      value = aws_db_instance.app.address
    }
    environment_variable {
      name  = "DB_PASSWORD"
      value = var.db_password
    }
  }
  source {
    type = "NO_SOURCE"
    buildspec = "version: 0.2"
  }
}
