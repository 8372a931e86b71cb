"""The cloudtrail module: a multi-region trail with log validation, KMS, CloudWatch Logs and SNS."""

from __future__ import annotations

from tfgen.hcl.values import Expr, Template
from tfgen.init.blueprint_model.expect import CLOUDTRAIL, Expect, document

ADDRESSES = frozenset(
    {
        "aws_cloudwatch_log_group.this",
        "data.aws_iam_policy_document.cloudwatch_delivery_trust",
        "data.aws_iam_policy_document.cloudwatch_delivery",
        "aws_iam_role.cloudwatch_delivery",
        "aws_iam_role_policy.cloudwatch_delivery",
        "aws_sns_topic.this",
        "data.aws_iam_policy_document.sns",
        "aws_sns_topic_policy.this",
        "aws_cloudtrail.this",
    }
)

EXPECTS: tuple[Expect, ...] = (
    Expect(
        "main.tf",
        ("resource", "aws_cloudtrail", "this"),
        {
            "enable_logging": True,
            "is_multi_region_trail": True,
            "include_global_service_events": True,
            "enable_log_file_validation": True,
            "kms_key_id": Expr("var.kms_key_arn"),
            "sns_topic_name": Expr("aws_sns_topic.this.name"),
            "cloud_watch_logs_group_arn": Template("${aws_cloudwatch_log_group.this.arn}:*"),
            "cloud_watch_logs_role_arn": Expr("aws_iam_role.cloudwatch_delivery.arn"),
            "event_selector.read_write_type": "All",
            "event_selector.include_management_events": True,
            "event_selector.dynamic.data_resource.content.type": "AWS::S3::Object",
        },
    ),
    Expect(
        "main.tf",
        ("resource", "aws_cloudwatch_log_group", "this"),
        {
            "retention_in_days": Expr("var.log_retention_days"),
            "kms_key_id": Expr("var.kms_key_arn"),
        },
    ),
    Expect(
        "main.tf",
        ("resource", "aws_sns_topic", "this"),
        {
            "kms_master_key_id": Expr("var.kms_key_arn"),
        },
    ),
    document(
        "sns",
        {
            "AllowCloudTrailPublish": {
                "actions": ["sns:Publish"],
                "principals.identifiers": [CLOUDTRAIL],
                "condition.variable": "aws:SourceArn",
                "condition.values": [Expr("local.trail_arn")],
            },
        },
    ),
    document(
        "cloudwatch_delivery",
        {
            "WriteTrailLogStreams": {
                "actions": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "resources": [Template("${aws_cloudwatch_log_group.this.arn}:log-stream:*")],
            },
        },
    ),
    document(
        "cloudwatch_delivery_trust",
        {
            "CloudTrailAssumeRole": {
                "actions": ["sts:AssumeRole"],
                "principals.type": "Service",
                "principals.identifiers": [CLOUDTRAIL],
            },
        },
    ),
    Expect(
        "variables.tf",
        ("variable", "log_retention_days"),
        {
            "default": 365,
        },
    ),
)
