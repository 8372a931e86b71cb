"""HCL: read and parse Terraform files (through `tfgen.cache`) and quote values (no knowledge of init or validate)."""
