# expect: none
# passes: TFGEN_SECRETS_4
# Secrets made and stored, with only where they live (ARNs, names) in plaintext places; a
# digest, a username, a value the template does not read, and a sensitive output.
resource "random_password" "db" {
  length = 24
}

resource "aws_secretsmanager_secret" "db" {
  name       = "prod/app/db"
  kms_key_id = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
}

resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id           = aws_secretsmanager_secret.db.id
  rotation_lambda_arn = "arn:aws:lambda:eu-west-1:123456789012:function:rotate-db"
  rotation_rules {
    automatically_after_days = 30
  }
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = jsonencode({ username = "app", password = random_password.db.result })
}

locals {
  db = {
    host     = "db.internal"
    password = random_password.db.result
  }
}

resource "aws_instance" "web" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  user_data = templatefile("${path.module}/templates/web.sh.tpl", {
    db_host    = local.db.host
    secret_arn = aws_secretsmanager_secret.db.arn
    unused     = random_password.db.result
  })
  tags = {
    Name            = "web"
    PasswordVersion = sha256(random_password.db.result)
  }
}

resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([
    {
      name        = "api"
      image       = "public.ecr.aws/nginx/nginx:latest"
      environment = [{ name = "DB_HOST", value = local.db.host }]
      secrets     = [{ name = "DB_PASSWORD", valueFrom = aws_secretsmanager_secret_version.db.arn }]
    }
  ])
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
      name  = "DB_PASSWORD"
      type  = "SECRETS_MANAGER"
      value = "${aws_secretsmanager_secret.db.name}:password"
    }
  }
  source {
    type      = "NO_SOURCE"
    buildspec = "version: 0.2"
  }
}

output "db_password" {
  value     = random_password.db.result
  sensitive = true
}

output "db_secret_arn" {
  value = aws_secretsmanager_secret.db.arn
}
