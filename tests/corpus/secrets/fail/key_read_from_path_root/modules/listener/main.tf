variable "name" {
  type = string
}

variable "certificate" {
  type = string
}

resource "aws_iam_server_certificate" "edge" {
  name = var.name
  certificate_body = file(
    "${path.root}/${var.certificate}",
  )
  private_key = file(
    "${path.root}/tls/edge.key",
  )
}
