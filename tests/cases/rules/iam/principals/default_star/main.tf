variable "readers" {
  type    = list(string)
  default = ["*"]
}

data "aws_iam_policy_document" "bucket" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::reports/*"]

    principals {
      type        = "AWS"
      identifiers = var.readers
    }
  }
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = "reports"
  policy = data.aws_iam_policy_document.bucket.json
}
