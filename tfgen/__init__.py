"""tfgen: generate and validate Terraform for a secure AWS account baseline."""

__version__ = "0.1.0"

PRACTICES: tuple[str, ...] = ("iam", "secrets", "encryption", "audit")
