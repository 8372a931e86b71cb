variable "name" {
  description = "Prefix for the recorder, role, topic, metric filter and alarm names."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name))
    error_message = "The name must be 3-24 characters of a-z, 0-9 and hyphens, starting with a letter."
  }
}

variable "account_id" {
  description = "AWS account ID (ARNs and aws:SourceAccount conditions)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "The account_id must be a 12-digit AWS account ID."
  }
}

variable "region" {
  description = "Region of this call's provider (alarm ARNs, the Security Hub standard's ARN)."
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
  description = "This call is the home region's: it creates the Config role and records global resource types (IAM), once per account."
  type        = bool
}

variable "kms_key_arn" {
  description = "Audit key ARN: encrypts the alarm topic and what AWS Config delivers to the audit bucket."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (not an alias)."
  }
}

variable "create_cis_alarms" {
  description = "Create a metric filter and alarm on the trail's log group for each CIS monitoring control (4.1-4.15), and the alarm topic. Only where the log group is: the home region."
  type        = bool
  default     = true
}

variable "cloudtrail_log_group_name" {
  description = "The trail's CloudWatch Logs log group the metric filters read; required when the CIS alarms are on."
  type        = string
  default     = null

  validation {
    condition     = var.cloudtrail_log_group_name == null || can(regex("^[A-Za-z0-9_/.#-]{1,512}$", var.cloudtrail_log_group_name))
    error_message = "The cloudtrail_log_group_name must be a CloudWatch Logs log group name."
  }

  validation {
    condition     = !var.create_cis_alarms || var.cloudtrail_log_group_name != null
    error_message = "The CIS alarms need cloudtrail_log_group_name (the trail's log group, in this call's region)."
  }
}

variable "alarm_topic_name" {
  description = "Name of the SNS topic the CIS alarms notify (the audit key's policy names it); required when the CIS alarms are on."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_topic_name == null || can(regex("^[A-Za-z0-9_-]{1,256}$", var.alarm_topic_name))
    error_message = "The alarm_topic_name must be an SNS topic name."
  }

  validation {
    condition     = !var.create_cis_alarms || var.alarm_topic_name != null
    error_message = "The CIS alarms need alarm_topic_name."
  }
}

variable "alarm_namespace" {
  description = "CloudWatch namespace of the CIS metrics."
  type        = string
  default     = "CISBenchmark"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.alarm_namespace)) && !startswith(var.alarm_namespace, "AWS/")
    error_message = "The alarm_namespace must be a custom CloudWatch namespace (not AWS/...)."
  }
}

variable "alarm_email" {
  description = "Email address subscribed to the alarm topic (AWS sends a confirmation mail first), or null for none."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_email == null || can(regex("^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,252}[.][A-Za-z]{2,63}$", var.alarm_email))
    error_message = "The alarm_email must be an email address."
  }
}

variable "create_config_recorder" {
  description = "Record this region's resources with AWS Config and deliver them to the audit bucket (CIS 3.3)."
  type        = bool
  default     = true
}

variable "audit_bucket_name" {
  description = "The audit bucket AWS Config delivers to (under config/)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.audit_bucket_name))
    error_message = "The audit_bucket_name must be an S3 bucket name."
  }
}

variable "config_role_arn" {
  description = "The Config role the home region's call created; required outside the home region when the recorder is on, ignored in it."
  type        = string
  default     = null

  validation {
    condition     = var.config_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.config_role_arn))
    error_message = "The config_role_arn must be an IAM role ARN."
  }

  validation {
    condition     = var.account_wide || !var.create_config_recorder || var.config_role_arn != null
    error_message = "Outside the home region a Config recorder needs config_role_arn (the home region call's config_role_arn output)."
  }
}

variable "create_guardduty" {
  description = "Create a GuardDuty detector in this region."
  type        = bool
  default     = true
}

variable "create_security_hub" {
  description = "Enable Security Hub in this region with the CIS AWS Foundations Benchmark v3.0.0 standard (CIS 4.16)."
  type        = bool
  default     = true
}
