"""The kms module: customer managed keys (audit, and one per data purpose), rotated, with conditioned key policies."""

from __future__ import annotations

from tfgen.hcl.values import Expr, Template
from tfgen.init.blueprint_model.expect import CLOUDTRAIL, Expect, document

ADDRESSES = frozenset(
    {
        "data.aws_iam_policy_document.audit",
        "aws_kms_key.audit",
        "aws_kms_alias.audit",
        "data.aws_iam_policy_document.data",
        "aws_kms_key.data",
        "aws_kms_alias.data",
    }
)

EXPECTS: tuple[Expect, ...] = (
    Expect(
        "main.tf",
        ("resource", "aws_kms_key", "audit"),
        {
            "enable_key_rotation": True,
            "deletion_window_in_days": Expr("var.deletion_window_in_days"),
            "policy": Expr("data.aws_iam_policy_document.audit.json"),
        },
    ),
    Expect(
        "main.tf",
        ("resource", "aws_kms_key", "data"),
        {
            "for_each": Expr("local.data_keys"),
            "enable_key_rotation": True,
            "deletion_window_in_days": Expr("var.deletion_window_in_days"),
            "policy": Expr("data.aws_iam_policy_document.data[each.key].json"),
        },
    ),
    Expect(
        "main.tf",
        ("resource", "aws_kms_alias", "audit"),
        {
            "name": Template("alias/${var.name}-audit"),
        },
    ),
    Expect(
        "main.tf",
        ("resource", "aws_kms_alias", "data"),
        {
            "name": Template("alias/${var.name}-${each.key}"),
        },
    ),
    Expect(
        "main.tf",
        ("locals",),
        {
            "account_root_arn": Template("arn:${var.partition}:iam::${var.account_id}:root"),
            "log_group_arn": Template(
                "arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:${var.cloudwatch_log_group_name}"
            ),
            "data_keys.artifacts": "template bundles and IaC artifacts (S3)",
            "data_keys.secrets": "Secrets Manager secrets and SSM SecureString parameters",
            "data_keys.state": "Terraform state (S3 backend)",
        },
    ),
    document(
        "audit",
        {
            "EnableIAMPoliciesForAccount": {
                "actions": ["kms:*"],
                "principals.type": "AWS",
                "principals.identifiers": [Expr("local.account_root_arn")],
            },
            "AllowCloudTrailEncryptLogs": {
                "actions": ["kms:GenerateDataKey*"],
                "principals.identifiers": [CLOUDTRAIL],
                "condition[0].variable": "aws:SourceArn",
                "condition[0].values": [Expr("var.cloudtrail_trail_arn")],
                "condition[1].test": "StringLike",
                "condition[1].variable": "kms:EncryptionContext:aws:cloudtrail:arn",
                "condition[1].values": [Template("arn:${var.partition}:cloudtrail:*:${var.account_id}:trail/*")],
            },
            "AllowCloudTrailDescribeKey": {
                "actions": ["kms:DescribeKey"],
                "condition[0].variable": "aws:SourceArn",
            },
            "AllowCloudTrailPublishToEncryptedTopic": {
                "condition[0].variable": "aws:SourceArn",
                "condition[1].variable": "kms:EncryptionContext:aws:sns:topicArn",
            },
            "AllowCloudWatchAlarmsPublishToEncryptedTopic": {
                "actions": ["kms:Decrypt", "kms:GenerateDataKey*"],
                "principals.identifiers": ["cloudwatch.amazonaws.com"],
                "for_each": Expr("var.alarm_sns_topic_name == null ? [] : [var.alarm_sns_topic_name]"),
                "condition[0].variable": "aws:SourceAccount",
                "condition[0].values": [Expr("var.account_id")],
                "condition[1].variable": "kms:EncryptionContext:aws:sns:topicArn",
                "condition[1].values": [
                    Template("arn:${var.partition}:sns:${var.region}:${var.account_id}:${statement.value}")
                ],
            },
            "AllowCloudWatchLogsForTrailLogGroup": {
                "principals.identifiers": [Template("logs.${var.region}.${local.dns_suffix}")],
                "condition[0].test": "ArnEquals",
                "condition[0].variable": "kms:EncryptionContext:aws:logs:arn",
                "condition[0].values": [Expr("local.log_group_arn")],
            },
            "AllowKeyAdministration": {
                "actions": Expr("local.key_administrator_actions"),
            },
            "AllowCloudTrailLogFileDecrypt": {
                "actions": ["kms:Decrypt"],
                "condition.test": "Null",
                "condition.variable": "kms:EncryptionContext:aws:cloudtrail:arn",
                "condition.values": ["false"],
            },
        },
    ),
    document(
        "data",
        {
            "EnableIAMPoliciesForAccount": {
                "actions": ["kms:*"],
                "principals.type": "AWS",
                "principals.identifiers": [Expr("local.account_root_arn")],
            },
            "AllowKeyAdministration": {
                "actions": Expr("local.key_administrator_actions"),
            },
            "AllowKeyUse": {
                "actions": Expr("local.key_user_actions"),
            },
            "AllowGrantsForAWSResources": {
                "condition.variable": "kms:GrantIsForAWSResource",
            },
            "AllowProtonTemplateEncryption": {
                "actions": ["kms:CreateGrant", "kms:DescribeKey"],
                "condition.test": "StringEquals",
                "condition.variable": "kms:ViaService",
                "condition.values": [Template("proton.${var.region}.${local.dns_suffix}")],
            },
        },
    ),
    Expect(
        "variables.tf",
        ("variable", "deletion_window_in_days"),
        {
            "default": 30,
        },
    ),
)
