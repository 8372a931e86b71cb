# does not parse: a TFGEN_SYNTAX finding, which fails the run whatever --fail-on says
resource "aws_s3_bucket" "b" {
  bucket = "x"
