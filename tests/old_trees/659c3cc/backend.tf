# State lives in the state bucket this baseline creates (SSE-KMS with the state key,
# versioned, TLS-only) and is locked with an S3 lock file (no DynamoDB table).
# First apply: see "Bootstrap remote state" in README.md.
terraform {
  backend "s3" {
    bucket       = "acme-tfstate-123456789012-eu-west-1"
    key          = "baseline/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    kms_key_id   = "arn:aws:kms:eu-west-1:123456789012:alias/acme-state"
    use_lockfile = true
  }
}
