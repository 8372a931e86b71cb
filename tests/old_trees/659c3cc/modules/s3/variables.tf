variable "bucket_name" {
  description = "Globally unique bucket name."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "The bucket_name must be 3-63 characters of a-z, 0-9, dots and hyphens."
  }
}

variable "account_id" {
  description = "AWS account ID that owns the bucket (CloudTrail prefix and aws:SourceAccount conditions)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "The account_id must be a 12-digit AWS account ID."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for default encryption (SSE-KMS with an S3 Bucket Key). Null selects SSE-S3, which only the server access log target bucket may use: S3 log delivery cannot write to SSE-KMS buckets."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (not an alias)."
  }
}

variable "access_logging" {
  description = "Server access logging target: the access-log bucket and the key prefix for this bucket's logs. Null only for the access-log bucket itself."
  type = object({
    target_bucket = string
    target_prefix = string
  })
  default = null
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which noncurrent object versions are deleted. Current objects are never expired."
  type        = number
  default     = 365

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && var.noncurrent_version_expiration_days <= 3650
    error_message = "The noncurrent version retention must be between 1 and 3650 days."
  }
}

variable "abort_incomplete_multipart_upload_days" {
  description = "Days after which incomplete multipart uploads are aborted."
  type        = number
  default     = 7

  validation {
    condition     = var.abort_incomplete_multipart_upload_days >= 1
    error_message = "The abort window must be at least one day."
  }
}

variable "cloudtrail_trail_arn" {
  description = "When set, the bucket policy lets this trail (and only this trail, by aws:SourceArn) check the bucket ACL and write to AWSLogs/<account>/."
  type        = string
  default     = null

  validation {
    condition     = var.cloudtrail_trail_arn == null || can(regex("^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:[0-9]{12}:trail/.+$", var.cloudtrail_trail_arn))
    error_message = "The cloudtrail_trail_arn must be a CloudTrail trail ARN."
  }
}

variable "access_log_source_bucket_arns" {
  description = "Buckets whose server access logs this bucket receives; the policy lets logging.s3.amazonaws.com write only for them (aws:SourceArn) from this account (aws:SourceAccount)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.access_log_source_bucket_arns : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]+$", arn))])
    error_message = "Every source must be an S3 bucket ARN."
  }
}

variable "force_destroy" {
  description = "Allow `terraform destroy` to delete a bucket that still holds objects. Keep false for audit logs and state."
  type        = bool
  default     = false
}
