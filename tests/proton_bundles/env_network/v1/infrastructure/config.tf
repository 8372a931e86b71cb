terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }

  # Proton fills in the backend at deploy time.
  backend "s3" {}
}

# Proton injects this declaration; a migrated module has no use for it.
variable "environment" {
  type = object({
    name   = string
    inputs = any
  })
  default = null
}
