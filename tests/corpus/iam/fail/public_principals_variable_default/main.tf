# expect: TFGEN_IAM_3
# A reusable bucket module whose readers default to everyone: `identifiers = var.readers`.
variable "readers" {
  description = "Principals allowed to read published reports"
  type        = list(string)
  default     = ["*"]
}

data "aws_iam_policy_document" "reports" {
  statement {
    sid       = "Readers"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::example-published-reports/*"]

    principals {
      type        = "AWS"
      identifiers = var.readers
    }
  }
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = "example-published-reports"
  policy = data.aws_iam_policy_document.reports.json
}
