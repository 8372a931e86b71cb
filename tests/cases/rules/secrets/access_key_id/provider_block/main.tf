provider "aws" {
  access_key = "AKIAIOSFODNN7EXAMPLE"
}
