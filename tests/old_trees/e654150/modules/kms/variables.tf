variable "name" {
  description = "Prefix for the key aliases (alias/<name>-<purpose>)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name))
    error_message = "The name must be 3-24 characters of a-z, 0-9 and hyphens, starting with a letter."
  }
}

variable "account_id" {
  description = "AWS account ID that owns the keys; its root principal is the key-policy lockout guard."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "The account_id must be a 12-digit AWS account ID."
  }
}

variable "region" {
  description = "AWS region of the keys, the trail's home region and the CloudWatch Logs endpoint."
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

variable "deletion_window_in_days" {
  description = "Waiting period before a scheduled key deletion completes."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "The deletion window must be between 7 and 30 days."
  }
}

variable "key_administrator_arns" {
  description = "IAM role ARNs that administer every key (manage, but not use)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.key_administrator_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", arn))])
    error_message = "Every key administrator must be an IAM role ARN."
  }
}

variable "key_user_arns" {
  description = "IAM role ARNs that use the data keys and may decrypt CloudTrail log files with the audit key."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.key_user_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", arn))])
    error_message = "Every key user must be an IAM role ARN."
  }
}

variable "template_admin_role_arns" {
  description = "IAM role ARNs that register AWS Proton templates encrypted with the artifacts key (kms:CreateGrant and kms:DescribeKey through Proton only)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.template_admin_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", arn))])
    error_message = "Every template administrator must be an IAM role ARN."
  }
}

variable "cloudtrail_trail_arn" {
  description = "ARN of the trail that encrypts its log files and notifications with the audit key (aws:SourceArn condition)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:[0-9]{12}:trail/.+$", var.cloudtrail_trail_arn))
    error_message = "The cloudtrail_trail_arn must be a CloudTrail trail ARN."
  }
}

variable "cloudwatch_log_group_name" {
  description = "Name of the CloudWatch Logs log group encrypted with the audit key (kms:EncryptionContext:aws:logs:arn condition)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_/.#-]{1,512}$", var.cloudwatch_log_group_name))
    error_message = "The cloudwatch_log_group_name must be a CloudWatch Logs log group name."
  }
}

variable "sns_topic_name" {
  description = "Name of the SNS topic encrypted with the audit key that the trail publishes to."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,256}$", var.sns_topic_name))
    error_message = "The sns_topic_name must be an SNS topic name."
  }
}
