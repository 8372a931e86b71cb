variable "name" {
  description = "Trail name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$", var.name))
    error_message = "The trail name must be 3-128 characters of letters, digits, dots, underscores and hyphens."
  }
}

variable "account_id" {
  description = "AWS account ID of the trail (ARNs and aws:SourceAccount conditions)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "The account_id must be a 12-digit AWS account ID."
  }
}

variable "region" {
  description = "Home region of the trail."
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

variable "s3_bucket_name" {
  description = "Audit bucket receiving the log files; its policy must already allow this trail."
  type        = string
}

variable "kms_key_arn" {
  description = "Audit key ARN: encrypts log files, the CloudWatch log group and the SNS topic."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (not an alias)."
  }
}

variable "cloudwatch_log_group_name" {
  description = "Name of the CloudWatch Logs log group that receives the trail's events."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_/.#-]{1,512}$", var.cloudwatch_log_group_name))
    error_message = "The cloudwatch_log_group_name must be a CloudWatch Logs log group name."
  }
}

variable "log_retention_days" {
  description = "Retention of the CloudWatch log group, in days (a value CloudWatch Logs accepts, at least one year)."
  type        = number
  default     = 365

  validation {
    condition     = contains([365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The log retention must be a CloudWatch Logs retention period of at least 365 days."
  }
}

variable "sns_topic_name" {
  description = "Name of the SNS topic notified of every log file delivery."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,256}$", var.sns_topic_name))
    error_message = "The sns_topic_name must be an SNS topic name."
  }
}

variable "s3_data_event_bucket_arns" {
  description = "Buckets whose object-level (data) events the trail records in addition to all management events."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.s3_data_event_bucket_arns : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]+$", arn))])
    error_message = "Every data-event source must be an S3 bucket ARN."
  }
}
