# expect: none
# passes: TFGEN_ENC_4
terraform {
  backend "s3" {
    bucket       = "example-state"
    key          = "prod/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    kms_key_id   = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    use_lockfile = true
  }
}
