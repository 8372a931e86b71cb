variable "extra_actions" {
  type    = list(string)
  default = null
}

data "aws_iam_policy_document" "default" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "p" {
  name = "p"
  policy = var.extra_actions == null ? data.aws_iam_policy_document.default.json : jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = var.extra_actions, Resource = "*" }]
  })
}
