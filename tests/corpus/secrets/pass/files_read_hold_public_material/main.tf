# expect: none
# passes: TFGEN_SECRETS_1
# Files read with file() and templatefile() that hold only public material: a certificate, an
# SSH public key, a policy template. Each is scanned and passes.
resource "aws_iam_server_certificate" "api" {
  name             = "api-example-public"
  certificate_body = file("${path.module}/certs/api.crt")
  private_key      = ephemeral.aws_secretsmanager_secret_version.api_key.secret_string
}

ephemeral "aws_secretsmanager_secret_version" "api_key" {
  secret_id = "prod/api/tls-key"
}

resource "aws_key_pair" "deploy" {
  key_name   = "deploy"
  public_key = file("${path.module}/certs/deploy.pub")
}

resource "aws_iam_policy" "read_reports" {
  name = "read-reports"
  policy = templatefile("${path.module}/templates/read.json.tpl", {
    bucket = "example-reports"
  })
}
