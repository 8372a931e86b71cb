# expect: TFGEN_ENC_2
resource "aws_s3_bucket" "reports" {
  bucket = "example-reports"
}
