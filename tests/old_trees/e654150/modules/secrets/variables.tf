variable "kms_key_arn" {
  description = "Customer managed key (the secrets data key) that encrypts every secret and SecureString parameter."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (not an alias)."
  }
}

variable "secret_names" {
  description = "Secrets Manager secrets to create. Only the containers are declared; their values are put out of band and never appear in .tf or .tfvars files."
  type        = set(string)
  default     = []

  validation {
    condition     = alltrue([for name in var.secret_names : can(regex("^[A-Za-z0-9/_+=.@-]{1,512}$", name))])
    error_message = "Every secret name may contain only letters, digits and /_+=.@-."
  }
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret stays recoverable."
  type        = number
  default     = 30

  validation {
    condition     = var.recovery_window_in_days >= 7 && var.recovery_window_in_days <= 30
    error_message = "The recovery window must be between 7 and 30 days."
  }
}

variable "secure_parameter_names" {
  description = "SSM parameters to create as SecureString with the secrets key."
  type        = set(string)
  default     = []

  validation {
    condition     = alltrue([for name in var.secure_parameter_names : length(name) <= 1011 && can(regex("^/?[A-Za-z0-9_./-]+$", name))])
    error_message = "Every parameter name may contain only letters, digits and _.-/ (at most 1011 characters)."
  }
}

variable "secure_parameter_value_version" {
  description = "Version of the generated SecureString values: bump it to have Terraform write a fresh random value to every parameter."
  type        = number
  default     = 1

  validation {
    condition     = var.secure_parameter_value_version >= 1
    error_message = "The value version must be at least 1."
  }
}
