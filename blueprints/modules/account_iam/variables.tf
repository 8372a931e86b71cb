variable "name" {
  description = "Prefix for the support role and the analyzer names."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name))
    error_message = "The name must be 3-24 characters of a-z, 0-9 and hyphens, starting with a letter."
  }
}

variable "partition" {
  description = "AWS partition used in ARNs: aws, aws-us-gov or aws-cn."
  type        = string

  validation {
    condition     = contains(["aws", "aws-us-gov", "aws-cn"], var.partition)
    error_message = "The partition must be aws, aws-us-gov or aws-cn."
  }
}

variable "account_wide" {
  description = "Create the account-wide IAM settings (password policy, support role). True in exactly one call: the home region's."
  type        = bool
}

variable "minimum_password_length" {
  description = "Minimum length of IAM user passwords (CIS 1.8 asks for at least 14)."
  type        = number
  default     = 14

  validation {
    condition     = var.minimum_password_length >= 14 && var.minimum_password_length <= 128
    error_message = "The minimum password length must be 14-128 (CIS 1.8)."
  }
}

variable "password_reuse_prevention" {
  description = "Number of previous passwords a user may not reuse (CIS 1.9 asks for 24, the most IAM allows)."
  type        = number
  default     = 24

  validation {
    condition     = var.password_reuse_prevention == 24
    error_message = "The password reuse prevention must be 24 (CIS 1.9; IAM allows no more)."
  }
}

variable "max_password_age" {
  description = "Days after which a password expires; 0 never expires one (NIST SP 800-63B and CIS v3 do not ask for expiry)."
  type        = number
  default     = 0

  validation {
    condition     = var.max_password_age >= 0 && var.max_password_age <= 1095 && floor(var.max_password_age) == var.max_password_age
    error_message = "The max password age must be a whole number of days, 0-1095."
  }
}

variable "support_trusted_principal_arns" {
  description = "Principals allowed to assume the support role (with MFA); the account root delegates the decision to IAM policies in the account."
  type        = list(string)

  validation {
    condition     = length(var.support_trusted_principal_arns) > 0 && alltrue([for arn in var.support_trusted_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(root|role/.+)$", arn))])
    error_message = "Give at least one principal; each must be an account root or IAM role ARN (no wildcards)."
  }
}

variable "create_access_analyzer" {
  description = "Create an IAM Access Analyzer for the account in this region (CIS 1.20)."
  type        = bool
  default     = true
}
