# Defaults are the answers given to `tfgen init`, so `terraform apply` needs no tfvars file.
# Re-run `tfgen init` to change them, or override them in terraform.tfvars.

variable "account_id" {
  description = "AWS account ID the baseline is applied to; the provider refuses credentials for any other account."
  type        = string
  default     = "123456789012"

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "The account_id must be a 12-digit AWS account ID."
  }
}

variable "region" {
  description = "Home region of the baseline (keys, buckets, trail)."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "The region must be an AWS region name such as eu-west-1."
  }
}

variable "name" {
  description = "Short DNS-safe prefix for every resource name."
  type        = string
  default     = "acme"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}[a-z0-9]$", var.name)) && !strcontains(var.name, "--")
    error_message = "The name must be 3-16 characters of a-z, 0-9 and single hyphens, starting with a letter."
  }
}

variable "key_administrator_arns" {
  description = "IAM role ARNs that administer the customer managed keys."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.key_administrator_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", arn))])
    error_message = "Every key administrator must be an IAM role ARN."
  }
}

variable "key_user_arns" {
  description = "IAM role ARNs that use the data keys (artifacts, secrets, state) and may decrypt CloudTrail log files."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.key_user_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", arn))])
    error_message = "Every key user must be an IAM role ARN."
  }
}

variable "log_retention_days" {
  description = "Retention of the trail's CloudWatch log group, in days."
  type        = number
  default     = 365

  validation {
    condition     = contains([365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The log retention must be a CloudWatch Logs retention period of at least 365 days."
  }
}

variable "noncurrent_version_retention_days" {
  description = "Days after which noncurrent S3 object versions are deleted (current objects are kept)."
  type        = number
  default     = 365

  validation {
    condition     = var.noncurrent_version_retention_days >= 1 && var.noncurrent_version_retention_days <= 3650
    error_message = "The noncurrent version retention must be between 1 and 3650 days."
  }
}

variable "enable_s3_data_events" {
  description = "Record S3 data events (object-level API calls) on the artifacts bucket in the trail."
  type        = bool
  default     = false
}

variable "create_codebuild_role" {
  description = "Create the AWS Proton CodeBuild provisioning role."
  type        = bool
  default     = true
}

variable "create_pipeline_role" {
  description = "Create the AWS Proton pipeline service role."
  type        = bool
  default     = true
}

variable "create_component_role" {
  description = "Create the AWS Proton component role."
  type        = bool
  default     = false
}

variable "environment_account_ids" {
  description = "Accounts whose AWS Proton environments may provision into this account; non-empty creates the environment-account-connection role."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.environment_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "Every environment account ID must have 12 digits."
  }
}

variable "provisioned_services" {
  description = "IAM service prefixes the AWS Proton provisioning roles may use, only through CloudFormation."
  type        = list(string)
  default     = ["ecs", "logs"]

  validation {
    condition     = alltrue([for s in var.provisioned_services : can(regex("^[a-z0-9][a-z0-9-]{0,62}$", s))])
    error_message = "Every provisioned service must be an IAM service prefix such as ecs or lambda."
  }
}

variable "secret_names" {
  description = "Secrets Manager secrets to create (names only; values never appear in Terraform files)."
  type        = set(string)
  default     = ["proton/repository-token"]
}

variable "secure_parameter_names" {
  description = "SSM SecureString parameters to create (names only)."
  type        = set(string)
  default     = []
}

variable "tags" {
  description = "Extra tags on every resource (the provider's default_tags); ManagedBy = tfgen is always added."
  type        = map(string)
  default     = {}
}
