variable "name" {
  type = string
}

variable "versioning" {
  type    = bool
  default = true
}

variable "rotate" {
  type    = bool
  default = true
}

resource "aws_kms_key" "this" {
  description         = "${var.name} data"
  enable_key_rotation = var.rotate
}

resource "aws_s3_bucket" "this" {
  bucket = "${var.name}-data"
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = var.versioning ? "Enabled" : "Suspended"
  }
}

data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.this.arn}/*"]
  }
}

resource "aws_iam_policy" "read" {
  name   = "${var.name}-read"
  policy = data.aws_iam_policy_document.read.json
}
