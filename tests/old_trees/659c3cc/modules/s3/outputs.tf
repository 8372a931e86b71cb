output "bucket_id" {
  description = "Bucket name, available once the bucket policy is in place (consumers such as CloudTrail depend on it)."
  value       = aws_s3_bucket_policy.this.bucket
}

output "bucket_arn" {
  description = "Bucket ARN."
  value       = aws_s3_bucket.this.arn
}

output "sse_algorithm" {
  description = "Default encryption algorithm: aws:kms, or AES256 for the server access log target."
  value       = local.sse_kms ? "aws:kms" : "AES256"
}
