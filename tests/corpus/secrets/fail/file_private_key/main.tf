# expect: TFGEN_SECRETS_1
# A private key committed beside the Terraform and read with file(): it is in the repository.
resource "aws_iam_server_certificate" "api" {
  name             = "api-example"
  certificate_body = file("${path.module}/certs/api.crt")
  private_key      = file("${path.module}/certs/api.key")
}
