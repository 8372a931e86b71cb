locals {
  trail_arn = "arn:${var.partition}:cloudtrail:${var.region}:${var.account_id}:trail/${var.name}"
}

################################################################################
# CloudWatch Logs delivery
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  name              = var.cloudwatch_log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

# CloudTrail does not send aws:SourceArn or aws:SourceAccount when it assumes the CloudWatch
# Logs delivery role (AWS documents that confused-deputy conditions do not apply to this role,
# and adding them breaks delivery), so the trust has no condition; the role's only permission
# is writing this one log group's streams.
data "aws_iam_policy_document" "cloudwatch_delivery_trust" {
  statement {
    sid     = "CloudTrailAssumeRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "cloudwatch_delivery" {
  statement {
    sid       = "WriteTrailLogStreams"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:log-stream:*"]
  }
}

resource "aws_iam_role" "cloudwatch_delivery" {
  name               = "${var.name}-cloudwatch-delivery"
  description        = "Lets CloudTrail trail ${var.name} write to its CloudWatch log group."
  assume_role_policy = data.aws_iam_policy_document.cloudwatch_delivery_trust.json
}

resource "aws_iam_role_policy" "cloudwatch_delivery" {
  name   = "cloudwatch-logs-delivery"
  role   = aws_iam_role.cloudwatch_delivery.id
  policy = data.aws_iam_policy_document.cloudwatch_delivery.json
}

################################################################################
# SNS notifications
################################################################################

resource "aws_sns_topic" "this" {
  name              = var.sns_topic_name
  kms_master_key_id = var.kms_key_arn
}

data "aws_iam_policy_document" "sns" {
  statement {
    sid       = "AllowCloudTrailPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }
}

resource "aws_sns_topic_policy" "this" {
  arn    = aws_sns_topic.this.arn
  policy = data.aws_iam_policy_document.sns.json
}

################################################################################
# Trail
################################################################################

resource "aws_cloudtrail" "this" {
  name           = var.name
  s3_bucket_name = var.s3_bucket_name
  kms_key_id     = var.kms_key_arn
  sns_topic_name = aws_sns_topic.this.name

  enable_logging                = true
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true

  # CloudTrail requires the log group ARN with its ":*" suffix.
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.this.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.cloudwatch_delivery.arn

  event_selector {
    read_write_type           = "All"
    include_management_events = true

    dynamic "data_resource" {
      for_each = length(var.s3_data_event_bucket_arns) > 0 ? [var.s3_data_event_bucket_arns] : []

      content {
        type   = "AWS::S3::Object"
        values = [for arn in data_resource.value : "${arn}/"]
      }
    }
  }

  depends_on = [
    aws_iam_role_policy.cloudwatch_delivery,
    aws_sns_topic_policy.this,
  ]
}
