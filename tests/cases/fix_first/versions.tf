terraform {
  backend "s3" {
    bucket  = "state"
    key     = "x"
    encrypt = false
    region  = "eu-west-1"
  }
}
