terraform {
  # 1.11 is the first release with write-only (`*_wo`) arguments; ephemeral values need 1.10.
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
    }
  }
}
