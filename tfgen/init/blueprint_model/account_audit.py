"""The account_audit module: the CIS monitoring metric filters and alarms, AWS Config, GuardDuty, Security Hub."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tfgen.hcl.values import Expr, Template
from tfgen.init.blueprint_model.expect import Expect, document


@dataclass(frozen=True)
class CisAlarm:
    """One CIS AWS Foundations v3.0.0 monitoring control: a metric filter on the trail's log group and its alarm."""

    control: str
    metric: str
    description: str
    pattern: str


def _any_event(*names: str) -> str:
    return " || ".join(f"($.eventName = {name})" for name in names)


# Section 4 of the benchmark, keyed as the module's `local.cis_alarms`; the patterns are the
# benchmark's own, written out in full here so the module's literal text is checked against them.
CIS_ALARMS: Mapping[str, CisAlarm] = {
    "unauthorized-api-calls": CisAlarm(
        "4.1",
        "UnauthorizedAPICalls",
        "Unauthorized API calls",
        '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && '
        '($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
    ),
    "console-signin-without-mfa": CisAlarm(
        "4.2",
        "ConsoleSigninWithoutMFA",
        "Management Console sign-in without MFA",
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && '
        '($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    ),
    "root-account-usage": CisAlarm(
        "4.3",
        "RootAccountUsage",
        "Usage of the root user",
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    ),
    "iam-policy-changes": CisAlarm(
        "4.4",
        "IAMPolicyChanges",
        "IAM policy changes",
        "{ "
        + _any_event(
            "DeleteGroupPolicy",
            "DeleteRolePolicy",
            "DeleteUserPolicy",
            "PutGroupPolicy",
            "PutRolePolicy",
            "PutUserPolicy",
            "CreatePolicy",
            "DeletePolicy",
            "CreatePolicyVersion",
            "DeletePolicyVersion",
            "AttachRolePolicy",
            "DetachRolePolicy",
            "AttachUserPolicy",
            "DetachUserPolicy",
            "AttachGroupPolicy",
            "DetachGroupPolicy",
        )
        + " }",
    ),
    "cloudtrail-changes": CisAlarm(
        "4.5",
        "CloudTrailConfigChanges",
        "CloudTrail configuration changes",
        "{ " + _any_event("CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging") + " }",
    ),
    "console-authentication-failures": CisAlarm(
        "4.6",
        "ConsoleAuthenticationFailures",
        "Management Console authentication failures",
        '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    ),
    "cmk-disabled-or-deleted": CisAlarm(
        "4.7",
        "CMKDisabledOrScheduledForDeletion",
        "Disabling or scheduled deletion of customer managed keys",
        "{ ($.eventSource = kms.amazonaws.com) && (" + _any_event("DisableKey", "ScheduleKeyDeletion") + ") }",
    ),
    "s3-bucket-policy-changes": CisAlarm(
        "4.8",
        "S3BucketPolicyChanges",
        "S3 bucket policy changes",
        "{ ($.eventSource = s3.amazonaws.com) && ("
        + _any_event(
            "PutBucketAcl",
            "PutBucketPolicy",
            "PutBucketCors",
            "PutBucketLifecycle",
            "PutBucketReplication",
            "DeleteBucketPolicy",
            "DeleteBucketCors",
            "DeleteBucketLifecycle",
            "DeleteBucketReplication",
        )
        + ") }",
    ),
    "config-changes": CisAlarm(
        "4.9",
        "AWSConfigChanges",
        "AWS Config configuration changes",
        "{ ($.eventSource = config.amazonaws.com) && ("
        + _any_event(
            "StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel", "PutConfigurationRecorder"
        )
        + ") }",
    ),
    "security-group-changes": CisAlarm(
        "4.10",
        "SecurityGroupChanges",
        "Security group changes",
        "{ "
        + _any_event(
            "AuthorizeSecurityGroupIngress",
            "AuthorizeSecurityGroupEgress",
            "RevokeSecurityGroupIngress",
            "RevokeSecurityGroupEgress",
            "CreateSecurityGroup",
            "DeleteSecurityGroup",
        )
        + " }",
    ),
    "nacl-changes": CisAlarm(
        "4.11",
        "NACLChanges",
        "Network ACL changes",
        "{ "
        + _any_event(
            "CreateNetworkAcl",
            "CreateNetworkAclEntry",
            "DeleteNetworkAcl",
            "DeleteNetworkAclEntry",
            "ReplaceNetworkAclEntry",
            "ReplaceNetworkAclAssociation",
        )
        + " }",
    ),
    "network-gateway-changes": CisAlarm(
        "4.12",
        "NetworkGatewayChanges",
        "Network gateway changes",
        "{ "
        + _any_event(
            "CreateCustomerGateway",
            "DeleteCustomerGateway",
            "AttachInternetGateway",
            "CreateInternetGateway",
            "DeleteInternetGateway",
            "DetachInternetGateway",
        )
        + " }",
    ),
    "route-table-changes": CisAlarm(
        "4.13",
        "RouteTableChanges",
        "Route table changes",
        "{ ($.eventSource = ec2.amazonaws.com) && ("
        + _any_event(
            "CreateRoute",
            "CreateRouteTable",
            "ReplaceRoute",
            "ReplaceRouteTableAssociation",
            "DeleteRouteTable",
            "DeleteRoute",
            "DisassociateRouteTable",
        )
        + ") }",
    ),
    "vpc-changes": CisAlarm(
        "4.14",
        "VPCChanges",
        "VPC changes",
        "{ "
        + _any_event(
            "CreateVpc",
            "DeleteVpc",
            "ModifyVpcAttribute",
            "AcceptVpcPeeringConnection",
            "CreateVpcPeeringConnection",
            "DeleteVpcPeeringConnection",
            "RejectVpcPeeringConnection",
            "AttachClassicLinkVpc",
            "DetachClassicLinkVpc",
            "DisableVpcClassicLink",
            "EnableVpcClassicLink",
        )
        + " }",
    ),
    "organizations-changes": CisAlarm(
        "4.15",
        "OrganizationsChanges",
        "AWS Organizations changes",
        "{ ($.eventSource = organizations.amazonaws.com) && ("
        + _any_event(
            "AcceptHandshake",
            "AttachPolicy",
            "CreateAccount",
            "CreateOrganizationalUnit",
            "CreatePolicy",
            "DeclineHandshake",
            "DeleteOrganization",
            "DeleteOrganizationalUnit",
            "DeletePolicy",
            "DetachPolicy",
            "DisablePolicyType",
            "EnablePolicyType",
            "InviteAccountToOrganization",
            "LeaveOrganization",
            "MoveAccount",
            "RemoveAccountFromOrganization",
            "UpdatePolicy",
            "UpdateOrganizationalUnit",
        )
        + ") }",
    ),
}
ALARM_NAMESPACE = "CISBenchmark"
CONFIG_PREFIX = "config"
CIS_STANDARD = "cis-aws-foundations-benchmark/v/3.0.0"

ADDRESSES = frozenset(
    {
        "aws_sns_topic.alarms",
        "data.aws_iam_policy_document.alarms",
        "aws_sns_topic_policy.alarms",
        "aws_sns_topic_subscription.alarm_email",
        "aws_cloudwatch_log_metric_filter.cis",
        "aws_cloudwatch_metric_alarm.cis",
        "data.aws_iam_policy_document.config_trust",
        "data.aws_iam_policy_document.config_delivery",
        "aws_iam_role.config",
        "aws_iam_role_policy_attachment.config",
        "aws_iam_role_policy.config_delivery",
        "aws_config_configuration_recorder.this",
        "aws_config_delivery_channel.this",
        "aws_config_configuration_recorder_status.this",
        "aws_guardduty_detector.this",
        "aws_securityhub_account.this",
        "aws_securityhub_standards_subscription.cis",
    }
)

_LOCALS = {
    "config_prefix": CONFIG_PREFIX,
    **{
        f"cis_alarms.{key}.{field}": getattr(alarm, field)
        for key, alarm in CIS_ALARMS.items()
        for field in ("control", "metric", "description", "pattern")
    },
}

EXPECTS: tuple[Expect, ...] = (
    Expect("main.tf", ("locals",), _LOCALS),
    Expect("main.tf", ("resource", "aws_sns_topic", "alarms"), {"kms_master_key_id": Expr("var.kms_key_arn")}),
    document(
        "alarms",
        {
            "AllowCloudWatchAlarmsPublish": {
                "actions": ["sns:Publish"],
                "principals.type": "Service",
                "principals.identifiers": ["cloudwatch.amazonaws.com"],
                "condition[0].test": "ArnLike",
                "condition[0].variable": "aws:SourceArn",
                "condition[0].values": [
                    Template("arn:${var.partition}:cloudwatch:${var.region}:${var.account_id}:alarm:*")
                ],
                "condition[1].variable": "aws:SourceAccount",
                "condition[1].values": [Expr("var.account_id")],
            },
        },
    ),
    Expect(
        "main.tf",
        ("resource", "aws_sns_topic_subscription", "alarm_email"),
        {"protocol": "email", "endpoint": Expr("var.alarm_email")},
    ),
    Expect(
        "main.tf",
        ("resource", "aws_cloudwatch_log_metric_filter", "cis"),
        {
            "for_each": Expr("var.create_cis_alarms ? local.cis_alarms : {}"),
            "log_group_name": Expr("var.cloudtrail_log_group_name"),
            "pattern": Expr("each.value.pattern"),
            "metric_transformation.name": Expr("each.value.metric"),
            "metric_transformation.namespace": Expr("var.alarm_namespace"),
        },
    ),
    Expect(
        "main.tf",
        ("resource", "aws_cloudwatch_metric_alarm", "cis"),
        {
            "for_each": Expr("var.create_cis_alarms ? local.cis_alarms : {}"),
            "metric_name": Expr("aws_cloudwatch_log_metric_filter.cis[each.key].metric_transformation[0].name"),
            "statistic": "Sum",
            "comparison_operator": "GreaterThanOrEqualToThreshold",
            "threshold": 1,
            "alarm_actions": [Expr("aws_sns_topic.alarms[0].arn")],
        },
    ),
    Expect("variables.tf", ("variable", "alarm_namespace"), {"default": ALARM_NAMESPACE}),
    document(
        "config_trust",
        {
            "ConfigAssumeRole": {
                "actions": ["sts:AssumeRole"],
                "principals.type": "Service",
                "principals.identifiers": ["config.amazonaws.com"],
                "condition[0].test": "StringEquals",
                "condition[0].variable": "aws:SourceAccount",
                "condition[0].values": [Expr("var.account_id")],
                "condition[1].test": "ArnLike",
                "condition[1].variable": "aws:SourceArn",
                "condition[1].values": [Template("arn:${var.partition}:config:*:${var.account_id}:*")],
            },
        },
    ),
    document(
        "config_delivery",
        {
            "CheckAuditBucketAcl": {
                "actions": ["s3:GetBucketAcl"],
                "resources": [Template("arn:${var.partition}:s3:::${var.audit_bucket_name}")],
            },
            "WriteConfigSnapshotsAndHistory": {
                "actions": ["s3:PutObject"],
                "resources": [
                    Template(
                        "arn:${var.partition}:s3:::${var.audit_bucket_name}/${local.config_prefix}/AWSLogs/${var.account_id}/Config/*"
                    )
                ],
            },
            "EncryptWithAuditKey": {
                "actions": ["kms:Decrypt", "kms:GenerateDataKey"],
                "resources": [Expr("var.kms_key_arn")],
            },
        },
    ),
    Expect(
        "main.tf",
        ("resource", "aws_iam_role_policy_attachment", "config"),
        {"policy_arn": Template("arn:${var.partition}:iam::aws:policy/service-role/AWS_ConfigRole")},
    ),
    Expect(
        "main.tf",
        ("resource", "aws_config_configuration_recorder", "this"),
        {
            "role_arn": Expr("local.config_role_arn"),
            "recording_group.all_supported": True,
            "recording_group.include_global_resource_types": Expr("var.account_wide"),
        },
    ),
    Expect(
        "main.tf",
        ("resource", "aws_config_delivery_channel", "this"),
        {
            "s3_bucket_name": Expr("var.audit_bucket_name"),
            "s3_key_prefix": Expr("local.config_prefix"),
            "s3_kms_key_arn": Expr("var.kms_key_arn"),
        },
    ),
    Expect("main.tf", ("resource", "aws_config_configuration_recorder_status", "this"), {"is_enabled": True}),
    Expect("main.tf", ("resource", "aws_guardduty_detector", "this"), {"enable": True}),
    Expect("main.tf", ("resource", "aws_securityhub_account", "this"), {"enable_default_standards": False}),
    Expect(
        "main.tf",
        ("resource", "aws_securityhub_standards_subscription", "cis"),
        {"standards_arn": Template(f"arn:${{var.partition}}:securityhub:${{var.region}}::standards/{CIS_STANDARD}")},
    ),
)
