variable "name" {
  description = "Prefix for the EBS key's alias and description."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name))
    error_message = "The name must be 3-24 characters of a-z, 0-9 and hyphens, starting with a letter."
  }
}

variable "account_id" {
  description = "AWS account ID (key policy conditions and the account public access block)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "The account_id must be a 12-digit AWS account ID."
  }
}

variable "region" {
  description = "Region of this call's provider: the EBS key serves EC2 here only."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "The region must be an AWS region name such as eu-west-1."
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
  description = "Create the account-wide settings (the S3 account public access block). True in exactly one call: the home region's."
  type        = bool
}

variable "key_administrator_arns" {
  description = "IAM role ARNs that administer the EBS key (never use it)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.key_administrator_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", arn))])
    error_message = "Every key administrator must be an IAM role ARN."
  }
}

variable "deletion_window_in_days" {
  description = "Waiting period before a scheduled deletion of the EBS key takes effect."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "The deletion window must be between 7 and 30 days."
  }
}
