data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition

  trail_name     = "${var.name}-trail"
  trail_arn      = "arn:${local.partition}:cloudtrail:${var.region}:${var.account_id}:trail/${local.trail_name}"
  log_group_name = "/aws/cloudtrail/${var.name}"
  sns_topic_name = "${var.name}-cloudtrail"

  bucket_names = {
    access_logs = "${var.name}-access-logs-${var.account_id}-${var.region}"
    artifacts   = "${var.name}-artifacts-${var.account_id}-${var.region}"
    audit       = "${var.name}-audit-${var.account_id}-${var.region}"
    state       = "${var.name}-tfstate-${var.account_id}-${var.region}"
  }
}

################################################################################
# iam: AWS Proton service roles and personas
################################################################################

module "iam" {
  source = "./modules/iam"

  name       = var.name
  account_id = var.account_id
  region     = var.region
  partition  = local.partition

  persona_trusted_principal_arns = ["arn:${local.partition}:iam::${var.account_id}:root"]

  create_codebuild_role   = var.create_codebuild_role
  create_pipeline_role    = var.create_pipeline_role
  create_component_role   = var.create_component_role
  environment_account_ids = var.environment_account_ids
  provisioned_services    = var.provisioned_services
}

################################################################################
# encryption: customer managed keys per purpose
################################################################################

module "kms" {
  source = "./modules/kms"

  name       = var.name
  account_id = var.account_id
  region     = var.region
  partition  = local.partition

  key_administrator_arns   = var.key_administrator_arns
  key_user_arns            = var.key_user_arns
  template_admin_role_arns = [module.iam.platform_admin_role_arn]

  cloudtrail_trail_arn      = local.trail_arn
  cloudwatch_log_group_name = local.log_group_name
  sns_topic_name            = local.sns_topic_name
}

################################################################################
# encryption + audit: secure buckets
################################################################################

module "access_logs_bucket" {
  #checkov:skip=CKV_AWS_145:S3 server access log delivery cannot write to a bucket whose default encryption is SSE-KMS, so the log target uses SSE-S3 (AES256).
  #checkov:skip=CKV_AWS_18:This bucket is the server access log target; logging it into itself would log its own log deliveries.
  source = "./modules/s3"

  bucket_name = local.bucket_names.access_logs
  account_id  = var.account_id

  # The two exceptions of the access-log target (see the skips above).
  kms_key_arn    = null
  access_logging = null

  access_log_source_bucket_arns = [
    "arn:${local.partition}:s3:::${local.bucket_names.artifacts}",
    "arn:${local.partition}:s3:::${local.bucket_names.audit}",
    "arn:${local.partition}:s3:::${local.bucket_names.state}",
  ]
  noncurrent_version_expiration_days = var.noncurrent_version_retention_days
}

module "audit_bucket" {
  source = "./modules/s3"

  bucket_name = local.bucket_names.audit
  account_id  = var.account_id
  kms_key_arn = module.kms.audit_key_arn

  access_logging = {
    target_bucket = module.access_logs_bucket.bucket_id
    target_prefix = "${local.bucket_names.audit}/"
  }

  cloudtrail_trail_arn               = local.trail_arn
  noncurrent_version_expiration_days = var.noncurrent_version_retention_days
}

module "artifacts_bucket" {
  source = "./modules/s3"

  bucket_name = local.bucket_names.artifacts
  account_id  = var.account_id
  kms_key_arn = module.kms.artifacts_key_arn

  access_logging = {
    target_bucket = module.access_logs_bucket.bucket_id
    target_prefix = "${local.bucket_names.artifacts}/"
  }

  noncurrent_version_expiration_days = var.noncurrent_version_retention_days
}

module "state_bucket" {
  source = "./modules/s3"

  bucket_name = local.bucket_names.state
  account_id  = var.account_id
  kms_key_arn = module.kms.state_key_arn

  access_logging = {
    target_bucket = module.access_logs_bucket.bucket_id
    target_prefix = "${local.bucket_names.state}/"
  }

  noncurrent_version_expiration_days = var.noncurrent_version_retention_days
}

################################################################################
# audit: multi-region trail with CloudWatch Logs and SNS
################################################################################

module "cloudtrail" {
  source = "./modules/cloudtrail"

  name       = local.trail_name
  account_id = var.account_id
  region     = var.region
  partition  = local.partition

  s3_bucket_name            = module.audit_bucket.bucket_id
  kms_key_arn               = module.kms.audit_key_arn
  cloudwatch_log_group_name = local.log_group_name
  log_retention_days        = var.log_retention_days
  sns_topic_name            = local.sns_topic_name

  s3_data_event_bucket_arns = var.enable_s3_data_events ? [module.artifacts_bucket.bucket_arn] : []
}

################################################################################
# secrets: Secrets Manager and SSM SecureString; values never in files or state
################################################################################

module "secrets" {
  source = "./modules/secrets"

  kms_key_arn            = module.kms.secrets_key_arn
  secret_names           = var.secret_names
  secure_parameter_names = var.secure_parameter_names
}
