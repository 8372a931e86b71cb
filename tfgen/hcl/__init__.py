"""HCL: read and parse Terraform files, quote values, the content-addressed parse cache (no init or validate)."""
