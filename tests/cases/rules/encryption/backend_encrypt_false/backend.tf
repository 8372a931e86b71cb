terraform {
  backend "s3" {
    bucket  = "state"
    key     = "k"
    encrypt = false
  }
}
