variable "name" {
  description = "Prefix for role and policy names."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name))
    error_message = "The name must be 3-24 characters of a-z, 0-9 and hyphens, starting with a letter."
  }
}

variable "account_id" {
  description = "AWS account ID (trust conditions and resource ARNs)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "The account_id must be a 12-digit AWS account ID."
  }
}

variable "region" {
  description = "AWS region where AWS Proton environments and their CloudFormation stacks live."
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

variable "persona_trusted_principal_arns" {
  description = "Principals allowed to assume the persona roles (read-only, developer, platform admin); the account root delegates the decision to IAM policies in the account."
  type        = list(string)

  validation {
    condition     = length(var.persona_trusted_principal_arns) > 0 && alltrue([for arn in var.persona_trusted_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(root|role/.+)$", arn))])
    error_message = "Give at least one principal; each must be an account root or IAM role ARN (no wildcards)."
  }
}

variable "persona_require_mfa" {
  description = "Require aws:MultiFactorAuthPresent when assuming a persona role."
  type        = bool
  default     = true
}

variable "create_codebuild_role" {
  description = "Create the CodeBuild provisioning role (trusted by codebuild.amazonaws.com for AWS Proton's AWSProton* projects)."
  type        = bool
  default     = false
}

variable "create_pipeline_role" {
  description = "Create the AWS Proton pipeline service role."
  type        = bool
  default     = false
}

variable "create_component_role" {
  description = "Create the AWS Proton component role for directly defined components."
  type        = bool
  default     = false
}

variable "environment_account_ids" {
  description = "Accounts whose AWS Proton environments may provision into this account through an environment account connection; a non-empty list creates the environment-account-connection role, trusted only for those accounts' environments."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.environment_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "Every environment account ID must have 12 digits."
  }
}

variable "provisioned_services" {
  description = "IAM service prefixes (for example ecs, logs) the provisioning roles may use, only through CloudFormation (aws:CalledVia)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.provisioned_services : can(regex("^[a-z0-9][a-z0-9-]{0,62}$", s))])
    error_message = "Every provisioned service must be an IAM service prefix such as ecs or lambda."
  }
}
