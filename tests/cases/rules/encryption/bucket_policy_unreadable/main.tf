resource "aws_s3_bucket" "b" {
  bucket = "example-b"
}
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = var.policy
}
