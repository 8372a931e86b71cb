locals {
  account_root_arn = "arn:${var.partition}:iam::${var.account_id}:root"
  config_prefix    = "config"
  config_role_arn  = var.account_wide ? one(aws_iam_role.config[*].arn) : var.config_role_arn

  # CIS AWS Foundations Benchmark v3.0.0, section 4 (monitoring): one metric filter on the
  # trail's log group and one alarm per control. The patterns are the benchmark's own.
  cis_alarms = {
    unauthorized-api-calls = {
      control     = "4.1"
      metric      = "UnauthorizedAPICalls"
      description = "Unauthorized API calls"
      pattern     = "{ (($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\")) && ($.sourceIPAddress != \"delivery.logs.amazonaws.com\") && ($.eventName != \"HeadBucket\") }"
    }
    console-signin-without-mfa = {
      control     = "4.2"
      metric      = "ConsoleSigninWithoutMFA"
      description = "Management Console sign-in without MFA"
      pattern     = "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") && ($.userIdentity.type = \"IAMUser\") && ($.responseElements.ConsoleLogin = \"Success\") }"
    }
    root-account-usage = {
      control     = "4.3"
      metric      = "RootAccountUsage"
      description = "Usage of the root user"
      pattern     = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
    }
    iam-policy-changes = {
      control     = "4.4"
      metric      = "IAMPolicyChanges"
      description = "IAM policy changes"
      pattern     = "{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }"
    }
    cloudtrail-changes = {
      control     = "4.5"
      metric      = "CloudTrailConfigChanges"
      description = "CloudTrail configuration changes"
      pattern     = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"
    }
    console-authentication-failures = {
      control     = "4.6"
      metric      = "ConsoleAuthenticationFailures"
      description = "Management Console authentication failures"
      pattern     = "{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }"
    }
    cmk-disabled-or-deleted = {
      control     = "4.7"
      metric      = "CMKDisabledOrScheduledForDeletion"
      description = "Disabling or scheduled deletion of customer managed keys"
      pattern     = "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }"
    }
    s3-bucket-policy-changes = {
      control     = "4.8"
      metric      = "S3BucketPolicyChanges"
      description = "S3 bucket policy changes"
      pattern     = "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }"
    }
    config-changes = {
      control     = "4.9"
      metric      = "AWSConfigChanges"
      description = "AWS Config configuration changes"
      pattern     = "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }"
    }
    security-group-changes = {
      control     = "4.10"
      metric      = "SecurityGroupChanges"
      description = "Security group changes"
      pattern     = "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }"
    }
    nacl-changes = {
      control     = "4.11"
      metric      = "NACLChanges"
      description = "Network ACL changes"
      pattern     = "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }"
    }
    network-gateway-changes = {
      control     = "4.12"
      metric      = "NetworkGatewayChanges"
      description = "Network gateway changes"
      pattern     = "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }"
    }
    route-table-changes = {
      control     = "4.13"
      metric      = "RouteTableChanges"
      description = "Route table changes"
      pattern     = "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }"
    }
    vpc-changes = {
      control     = "4.14"
      metric      = "VPCChanges"
      description = "VPC changes"
      pattern     = "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }"
    }
    organizations-changes = {
      control     = "4.15"
      metric      = "OrganizationsChanges"
      description = "AWS Organizations changes"
      pattern     = "{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = AcceptHandshake) || ($.eventName = AttachPolicy) || ($.eventName = CreateAccount) || ($.eventName = CreateOrganizationalUnit) || ($.eventName = CreatePolicy) || ($.eventName = DeclineHandshake) || ($.eventName = DeleteOrganization) || ($.eventName = DeleteOrganizationalUnit) || ($.eventName = DeletePolicy) || ($.eventName = DetachPolicy) || ($.eventName = DisablePolicyType) || ($.eventName = EnablePolicyType) || ($.eventName = InviteAccountToOrganization) || ($.eventName = LeaveOrganization) || ($.eventName = MoveAccount) || ($.eventName = RemoveAccountFromOrganization) || ($.eventName = UpdatePolicy) || ($.eventName = UpdateOrganizationalUnit)) }"
    }
  }
}

################################################################################
# CIS monitoring (section 4): metric filters on the trail's log group, alarms to
# an SNS topic encrypted with the audit key
################################################################################

# Alarms get their own topic: the trail's topic carries one message per log file delivery,
# which would bury an alarm (and its subscribers' mailboxes).
resource "aws_sns_topic" "alarms" {
  count = var.create_cis_alarms ? 1 : 0

  name              = var.alarm_topic_name
  kms_master_key_id = var.kms_key_arn
}

data "aws_iam_policy_document" "alarms" {
  count = var.create_cis_alarms ? 1 : 0

  statement {
    sid       = "AllowCloudWatchAlarmsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms[0].arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${var.partition}:cloudwatch:${var.region}:${var.account_id}:alarm:*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  count = var.create_cis_alarms ? 1 : 0

  arn    = aws_sns_topic.alarms[0].arn
  policy = data.aws_iam_policy_document.alarms[0].json
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count = var.create_cis_alarms && var.alarm_email != null ? 1 : 0

  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

resource "aws_cloudwatch_log_metric_filter" "cis" {
  for_each = var.create_cis_alarms ? local.cis_alarms : {}

  name           = "${var.name}-cis-${each.key}"
  log_group_name = var.cloudtrail_log_group_name
  pattern        = each.value.pattern

  metric_transformation {
    name      = each.value.metric
    namespace = var.alarm_namespace
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "cis" {
  for_each = var.create_cis_alarms ? local.cis_alarms : {}

  alarm_name        = "${var.name}-cis-${each.key}"
  alarm_description = "CIS AWS Foundations ${each.value.control}: ${each.value.description} in ${var.cloudtrail_log_group_name}."

  namespace           = var.alarm_namespace
  metric_name         = aws_cloudwatch_log_metric_filter.cis[each.key].metric_transformation[0].name
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  treat_missing_data  = "notBreaching"

  alarm_actions = [aws_sns_topic.alarms[0].arn]

  depends_on = [aws_sns_topic_policy.alarms]
}

################################################################################
# AWS Config (CIS 3.3): a recorder for every supported resource type, global
# types in the home region only, delivering to the audit bucket
################################################################################

data "aws_iam_policy_document" "config_trust" {
  count = var.account_wide && var.create_config_recorder ? 1 : 0

  statement {
    sid     = "ConfigAssumeRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["config.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }

    # One role serves the recorders of every region of the baseline.
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${var.partition}:config:*:${var.account_id}:*"]
    }
  }
}

# Config delivers as this role: it may write only under the bucket's config/ prefix for this
# account, and use only the audit key to encrypt what it writes.
data "aws_iam_policy_document" "config_delivery" {
  count = var.account_wide && var.create_config_recorder ? 1 : 0

  statement {
    sid       = "CheckAuditBucketAcl"
    actions   = ["s3:GetBucketAcl"]
    resources = ["arn:${var.partition}:s3:::${var.audit_bucket_name}"]
  }

  statement {
    sid       = "WriteConfigSnapshotsAndHistory"
    actions   = ["s3:PutObject"]
    resources = ["arn:${var.partition}:s3:::${var.audit_bucket_name}/${local.config_prefix}/AWSLogs/${var.account_id}/Config/*"]
  }

  statement {
    sid       = "EncryptWithAuditKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role" "config" {
  count = var.account_wide && var.create_config_recorder ? 1 : 0

  name               = "${var.name}-config-recorder"
  description        = "Lets AWS Config record this account's resources and deliver to the audit bucket."
  assume_role_policy = data.aws_iam_policy_document.config_trust[0].json
}

resource "aws_iam_role_policy_attachment" "config" {
  count = var.account_wide && var.create_config_recorder ? 1 : 0

  role       = aws_iam_role.config[0].name
  policy_arn = "arn:${var.partition}:iam::aws:policy/service-role/AWS_ConfigRole"
}

resource "aws_iam_role_policy" "config_delivery" {
  count = var.account_wide && var.create_config_recorder ? 1 : 0

  name   = "config-delivery"
  role   = aws_iam_role.config[0].id
  policy = data.aws_iam_policy_document.config_delivery[0].json
}

resource "aws_config_configuration_recorder" "this" {
  count = var.create_config_recorder ? 1 : 0

  name     = var.name
  role_arn = local.config_role_arn

  recording_group {
    all_supported                 = true
    include_global_resource_types = var.account_wide
  }

  depends_on = [aws_iam_role_policy_attachment.config, aws_iam_role_policy.config_delivery]
}

resource "aws_config_delivery_channel" "this" {
  count = var.create_config_recorder ? 1 : 0

  name           = var.name
  s3_bucket_name = var.audit_bucket_name
  s3_key_prefix  = local.config_prefix
  s3_kms_key_arn = var.kms_key_arn

  snapshot_delivery_properties {
    delivery_frequency = "TwentyFour_Hours"
  }

  depends_on = [aws_config_configuration_recorder.this]
}

resource "aws_config_configuration_recorder_status" "this" {
  count = var.create_config_recorder ? 1 : 0

  name       = aws_config_configuration_recorder.this[0].name
  is_enabled = true

  depends_on = [aws_config_delivery_channel.this]
}

################################################################################
# GuardDuty and Security Hub (CIS 4.16, v3.0.0) in this region
################################################################################

resource "aws_guardduty_detector" "this" {
  #checkov:skip=CKV2_AWS_3:The baseline configures one account, not an AWS Organizations delegated administrator; this detector covers the account in its region, and organization-wide GuardDuty is set up from the management account.
  count = var.create_guardduty ? 1 : 0

  enable                       = true
  finding_publishing_frequency = "FIFTEEN_MINUTES"
}

resource "aws_securityhub_account" "this" {
  count = var.create_security_hub ? 1 : 0

  enable_default_standards  = false
  control_finding_generator = "SECURITY_CONTROL"
  auto_enable_controls      = true
}

resource "aws_securityhub_standards_subscription" "cis" {
  count = var.create_security_hub ? 1 : 0

  standards_arn = "arn:${var.partition}:securityhub:${var.region}::standards/cis-aws-foundations-benchmark/v/3.0.0"

  depends_on = [aws_securityhub_account.this]
}
