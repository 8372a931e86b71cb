# expect: TFGEN_ENC_4
terraform {
  backend "s3" {
    bucket  = "example-state"
    key     = "prod/terraform.tfstate"
    region  = "eu-west-1"
    encrypt = false
  }
}
