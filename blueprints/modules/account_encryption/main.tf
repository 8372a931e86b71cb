locals {
  account_root_arn = "arn:${var.partition}:iam::${var.account_id}:root"
  dns_suffix       = var.partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"
}

################################################################################
# EBS encryption by default (CIS 2.2.1) with the baseline's key for this region
################################################################################

# A KMS key serves only its own region, so every region gets its own EBS key. Any principal
# of this account may use it, but only through EC2 in this region (kms:ViaService), as the
# AWS managed aws/ebs key allows: encryption by default applies to every volume anyone in the
# account creates, Auto Scaling's service-linked role included.
data "aws_iam_policy_document" "ebs" {
  #checkov:skip=CKV_AWS_109:Key policy: Resource "*" means this key only; the account-root statement is the lockout guard AWS requires and delegates to IAM policies.
  #checkov:skip=CKV_AWS_111:Key policy: Resource "*" means this key only; use is limited to this account's principals calling through EC2 in this region.
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
      sid = "AllowKeyAdministration"
      actions = [
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
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = statement.value
      }
    }
  }

  statement {
    sid = "AllowEBSThroughEC2ForAccount"
    actions = [
      "kms:CreateGrant",
      "kms:Decrypt",
      "kms:DescribeKey",
      "kms:Encrypt",
      "kms:GenerateDataKey*",
      "kms:ReEncrypt*",
    ]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [var.account_id]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["ec2.${var.region}.${local.dns_suffix}"]
    }
  }
}

resource "aws_kms_key" "ebs" {
  description             = "${var.name}: EBS volumes and snapshots in ${var.region} (encryption by default)"
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_in_days
  policy                  = data.aws_iam_policy_document.ebs.json
}

resource "aws_kms_alias" "ebs" {
  name          = "alias/${var.name}-ebs"
  target_key_id = aws_kms_key.ebs.key_id
}

resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}

resource "aws_ebs_default_kms_key" "this" {
  key_arn = aws_kms_key.ebs.arn

  depends_on = [aws_ebs_encryption_by_default.this]
}

################################################################################
# S3 account-level public access block (CIS 2.1.4): account-wide, set once
################################################################################

resource "aws_s3_account_public_access_block" "this" {
  count = var.account_wide ? 1 : 0

  account_id              = var.account_id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
