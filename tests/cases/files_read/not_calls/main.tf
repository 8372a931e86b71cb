# A server certificate whose key comes from a variable. Nothing below reads certs/api.key:
# file("${path.module}/certs/api.key") was how it was read, before the key left the repository.
variable "private_key" {
  type      = string
  sensitive = true
}

resource "aws_iam_server_certificate" "api" {
  name             = "api"
  certificate_body = var.certificate_body # not file("${path.module}/certs/api.key")
  private_key      = var.private_key      /* templatefile("${path.module}/certs/api.key", {}) */
  // filebase64("${path.module}/certs/api.key")
}

variable "certificate_body" {
  type        = string
  description = "The PEM body; never file(\"${path.module}/certs/api.key\")."
}

resource "aws_ssm_document" "rotate" {
  name          = "rotate"
  document_type = "Command"
  content = jsonencode({
    schemaVersion = "2.2"
    mainSteps = [{
      action = "aws:runShellScript"
      name   = "rotate"
      inputs = {
        runCommand = [<<-EOT
          # the shell's own file("certs/api.key") helper, not Terraform's
          rotate file("certs/api.key")
        EOT
        ]
      }
    }]
  })
}

output "reader" {
  value = provider::local::file("certs/api.key")
}
