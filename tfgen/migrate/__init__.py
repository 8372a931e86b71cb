"""`tfgen migrate`: turn templates of retired provisioning services into plain Terraform modules."""
