locals {
  account_root_arn = "arn:${var.partition}:iam::${var.account_id}:root"
  dns_suffix       = var.partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"
  log_group_arn    = "arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:${var.cloudwatch_log_group_name}"
  sns_topic_arn    = "arn:${var.partition}:sns:${var.region}:${var.account_id}:${var.sns_topic_name}"

  # One customer managed key per purpose, so a grant on one never reaches the others.
  data_keys = {
    artifacts = "template bundles and IaC artifacts (S3)"
    secrets   = "Secrets Manager secrets and SSM SecureString parameters"
    state     = "Terraform state (S3 backend)"
  }

  key_administrator_actions = [
    "kms:CancelKeyDeletion",
    "kms:Create*",
    "kms:Delete*",
    "kms:Describe*",
    "kms:Disable*",
    "kms:Enable*",
    "kms:Get*",
    "kms:List*",
    "kms:Put*",
    "kms:Revoke*",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:Update*",
  ]

  key_user_actions = [
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey*",
    "kms:ReEncrypt*",
  ]
}

################################################################################
# Audit key: CloudTrail log files, the trail's CloudWatch log group, SNS topic
################################################################################

data "aws_iam_policy_document" "audit" {
  #checkov:skip=CKV_AWS_109:Key policy: Resource "*" means this key only; the account-root statement is the lockout guard AWS requires and delegates to IAM policies.
  #checkov:skip=CKV_AWS_111:Key policy: Resource "*" means this key only; every write is limited to the named roles or to service principals with source and encryption-context conditions.
  #checkov:skip=CKV_AWS_356:Key policy: Resource "*" is the only valid resource in a key policy and means this key.

  statement {
    sid       = "EnableIAMPoliciesForAccount"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [local.account_root_arn]
    }
  }

  dynamic "statement" {
    for_each = length(var.key_administrator_arns) > 0 ? [var.key_administrator_arns] : []

    content {
      sid       = "AllowKeyAdministration"
      actions   = local.key_administrator_actions
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = statement.value
      }
    }
  }

  statement {
    sid       = "AllowCloudTrailEncryptLogs"
    actions   = ["kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [var.cloudtrail_trail_arn]
    }

    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:aws:cloudtrail:arn"
      values   = ["arn:${var.partition}:cloudtrail:*:${var.account_id}:trail/*"]
    }
  }

  statement {
    sid       = "AllowCloudTrailDescribeKey"
    actions   = ["kms:DescribeKey"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [var.cloudtrail_trail_arn]
    }
  }

  statement {
    sid       = "AllowCloudTrailPublishToEncryptedTopic"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [var.cloudtrail_trail_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:sns:topicArn"
      values   = [local.sns_topic_arn]
    }
  }

  statement {
    sid = "AllowCloudWatchLogsForTrailLogGroup"
    actions = [
      "kms:Decrypt*",
      "kms:Describe*",
      "kms:Encrypt*",
      "kms:GenerateDataKey*",
      "kms:ReEncrypt*",
    ]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.${local.dns_suffix}"]
    }

    condition {
      test     = "ArnEquals"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = [local.log_group_arn]
    }
  }

  dynamic "statement" {
    for_each = length(var.key_user_arns) > 0 ? [var.key_user_arns] : []

    content {
      sid       = "AllowCloudTrailLogFileDecrypt"
      actions   = ["kms:Decrypt"]
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = statement.value
      }

      condition {
        test     = "Null"
        variable = "kms:EncryptionContext:aws:cloudtrail:arn"
        values   = ["false"]
      }
    }
  }
}

resource "aws_kms_key" "audit" {
  description             = "${var.name}: CloudTrail log files, the trail's CloudWatch log group and SNS topic"
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_in_days
  policy                  = data.aws_iam_policy_document.audit.json
}

resource "aws_kms_alias" "audit" {
  name          = "alias/${var.name}-audit"
  target_key_id = aws_kms_key.audit.key_id
}

################################################################################
# Data keys: artifacts, secrets, state
################################################################################

data "aws_iam_policy_document" "data" {
  for_each = local.data_keys
  #checkov:skip=CKV_AWS_109:Key policy: Resource "*" means this key only; the account-root statement is the lockout guard AWS requires and delegates to IAM policies.
  #checkov:skip=CKV_AWS_111:Key policy: Resource "*" means this key only; every write is limited to the named roles or to Proton-mediated grants.
  #checkov:skip=CKV_AWS_356:Key policy: Resource "*" is the only valid resource in a key policy and means this key.

  statement {
    sid       = "EnableIAMPoliciesForAccount"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [local.account_root_arn]
    }
  }

  dynamic "statement" {
    for_each = length(var.key_administrator_arns) > 0 ? [var.key_administrator_arns] : []

    content {
      sid       = "AllowKeyAdministration"
      actions   = local.key_administrator_actions
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = statement.value
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.key_user_arns) > 0 ? [var.key_user_arns] : []

    content {
      sid       = "AllowKeyUse"
      actions   = local.key_user_actions
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = statement.value
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.key_user_arns) > 0 ? [var.key_user_arns] : []

    content {
      sid       = "AllowGrantsForAWSResources"
      actions   = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = statement.value
      }

      condition {
        test     = "Bool"
        variable = "kms:GrantIsForAWSResource"
        values   = ["true"]
      }
    }
  }

  # AWS Proton encrypts template bundles with a customer managed key by creating a grant with
  # the caller's own credentials; no statement for a Proton service principal is needed.
  dynamic "statement" {
    for_each = each.key == "artifacts" && length(var.template_admin_role_arns) > 0 ? [var.template_admin_role_arns] : []

    content {
      sid       = "AllowProtonTemplateEncryption"
      actions   = ["kms:CreateGrant", "kms:DescribeKey"]
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = statement.value
      }

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["proton.${var.region}.${local.dns_suffix}"]
      }
    }
  }
}

resource "aws_kms_key" "data" {
  for_each = local.data_keys

  description             = "${var.name}: ${each.value}"
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_in_days
  policy                  = data.aws_iam_policy_document.data[each.key].json
}

resource "aws_kms_alias" "data" {
  for_each = local.data_keys

  name          = "alias/${var.name}-${each.key}"
  target_key_id = aws_kms_key.data[each.key].key_id
}
