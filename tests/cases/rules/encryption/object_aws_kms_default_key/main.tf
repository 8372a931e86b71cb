resource "aws_s3_object" "o" {
  bucket = "b"
  key = "k"
  server_side_encryption = "aws:kms"
}
