variable "db_password" {
  default = "literal-password"
}

resource "aws_iam_role" "a_role_name_long_enough_that_a_narrow_terminal_would_have_to_wrap_it" {
  name = "r"
  # checkov:skip=TFGEN_IAM_1:assumed only by our own pipeline
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Service = "proton.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_s3_bucket_server_side_encryption_configuration" "e" {
  bucket = "b"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
