# Terraform reads both keys: blanks before `(` and a call over several lines are calls all the same.
resource "aws_iam_server_certificate" "spaced" {
  name             = "spaced"
  certificate_body = var.certificate_body
  private_key      = file ("${path.module}/certs/api.key")
}

resource "aws_iam_server_certificate" "lines" {
  name             = "lines"
  certificate_body = var.certificate_body
  private_key = templatefile(
    "${path.module}/certs/other.key",
    {}
  )
}

variable "certificate_body" {
  type = string
}
