# expect: TFGEN_ENC_2
resource "aws_s3_bucket" "artifacts" {
  bucket = "example-artifacts"
}

resource "aws_s3_bucket_policy" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "ReadForBuild",
          "Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::123456789012:role/build"},
          "Action": "s3:GetObject",
          "Resource": "${aws_s3_bucket.artifacts.arn}/*"
        }
      ]
    }
  EOT
}
