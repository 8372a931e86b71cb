# expect: TFGEN_ENC_1
variable "sse_algorithm" {
  type        = string
  description = "Default encryption algorithm."
  default     = "AES256"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = "example-data"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = var.sse_algorithm
    }
  }
}
