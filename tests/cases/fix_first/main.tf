module "a" {
  source = "./modules/topic"
  name   = "a"
}

module "b" {
  source = "./modules/topic"
  name   = "b"
}

module "c" {
  source = "./modules/topic"
  name   = "c"
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAZ7XQ2MRJ4NPLWV5K"
  secret_key = "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"
}
