# Credentials come from the environment (SSO, instance profile, AWS_PROFILE); never from here.
provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id]

  default_tags {
    tags = merge(var.tags, { ManagedBy = "tfgen" })
  }
}
