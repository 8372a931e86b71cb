"""HCL: read and parse Terraform files, quote values, and the content-addressed parse cache (no knowledge of init or validate)."""
