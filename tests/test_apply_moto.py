"""Proof 4 of `tfgen init`: the rendered baseline applies against moto server, boto3 reads the
result back and finds each practice in place, and `terraform destroy` succeeds.

The baseline is rendered for moto's account (123456789012) with every optional resource on,
but for the services moto 5.2 does not emulate, each turned off by its own answer
(`moto_apply.MOTO_LACKS`): IAM Access Analyzer (no accessanalyzer backend) and Security Hub (no
UpdateSecurityHubConfiguration, no standards subscriptions). The apply runs beside the suite, in
a process of its own with a moto server of its own (support/moto_apply.py: most of it is the
provider asleep); this test reads the result back and destroys it. Only that COPY gets
`zz_moto_override.tf`: provider endpoints on the loopback moto server, throwaway test
credentials, the skip flags, and a local backend; and the one resource moto cannot read back
(`aws_ebs_default_kms_key`: moto has no GetEbsDefaultKmsKeyId) is left out of the copy by an
override file naming it. terraform runs with HTTPS_PROXY on a dead loopback port and
HTTP_PROXY on moto itself, so a call to any endpoint the override forgot fails or lands in
moto instead of reaching AWS (S3 Control puts the account id in front of the endpoint's host,
`123456789012.127.0.0.1`, which only the proxy can route to moto).
"""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from support import moto, moto_apply
from support import terraform as tfenv
from support.moto_apply import ENDPOINT_SERVICES

from tfgen.hcl.read import read_file
from tfgen.init.blueprint_model import account_audit as audit_model
from tfgen.init.blueprint_model import account_iam as iam_model

pytestmark = [pytest.mark.terraform, pytest.mark.moto]

ACCOUNT = "123456789012"  # moto's default account (conftest renders the baseline for it)
# Resource/data/ephemeral type prefix -> the endpoint key it calls (the first prefix that matches).
TYPE_PREFIX_SERVICE = {
    "aws_accessanalyzer_": "accessanalyzer",
    "aws_cloudtrail": "cloudtrail",
    "aws_cloudwatch_log_": "cloudwatchlogs",
    "aws_cloudwatch_metric_alarm": "cloudwatch",
    "aws_config_": "configservice",
    "aws_ebs_": "ec2",
    "aws_guardduty_": "guardduty",
    "aws_iam_": "iam",
    "aws_kms_": "kms",
    "aws_s3_account_": "s3control",
    "aws_s3_": "s3",
    "aws_securityhub_": "securityhub",
    "aws_secretsmanager_": "secretsmanager",
    "aws_sns_": "sns",
    "aws_ssm_": "ssm",
    "aws_caller_identity": "sts",
}
# Types that never call an API (computed locally by the provider).
LOCAL_TYPES = {"aws_partition", "aws_region", "aws_iam_policy_document"}

TRUSTED_SERVICES = ("proton.amazonaws.com", "codebuild.amazonaws.com")


def used_types(root: Path) -> set[str]:
    types: set[str] = set()
    for path in sorted(root.rglob("*.tf")):
        if ".terraform" in path.parts:
            continue
        for block in read_file(path, str(path.relative_to(root))).blocks:
            if block.type in {"resource", "data", "ephemeral"} and block.labels:
                types.add(block.labels[0])
    return types


def test_moto_answers_the_target_form_terraform_sends(moto_server: str) -> None:
    # terraform-provider-aws 5.100 names CloudTrail's operations `CloudTrail_20131101.<Operation>`;
    # boto3 sends the long `com.amazonaws.cloudtrail.v20131101.` form. moto 5.2.6 answers the short
    # one with a bare 404 (no body, no request id), and the apply below fails at CreateTrail with
    # "StatusCode: 404, RequestID: , api error UnknownError": pyproject.toml keeps moto below it.
    request = urllib.request.Request(
        moto_server + "/",
        data=b"{}",
        method="POST",
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "CloudTrail_20131101.DescribeTrails",
            "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20261204/eu-west-1/cloudtrail/aws4_request, "
            "SignedHeaders=host, Signature=0",
        },
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never a proxy
    with opener.open(request, timeout=30) as response:
        assert response.status == 200
        assert "trailList" in json.loads(response.read())


def test_override_covers_every_service_the_baseline_calls(rendered_full_baseline: Path) -> None:
    missing = []
    for type_name in sorted(used_types(rendered_full_baseline)):
        if not type_name.startswith("aws_") or type_name in LOCAL_TYPES:
            continue
        service = next((s for prefix, s in TYPE_PREFIX_SERVICE.items() if type_name.startswith(prefix)), None)
        if service is None or service not in ENDPOINT_SERVICES:
            missing.append(type_name)
    assert not missing, f"no moto endpoint configured for {missing}: extend ENDPOINT_SERVICES/TYPE_PREFIX_SERVICE"


# --- read-back helpers ------------------------------------------------------------------------


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def lower_keys(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k.lower(): v for k, v in mapping.items()}


def condition_values(statement: dict[str, Any], key: str) -> list[str]:
    """All values of condition key `key` (case-insensitive) under any operator."""
    values: list[str] = []
    for _operator, clauses in (statement.get("Condition") or {}).items():
        for name, value in (clauses or {}).items():
            if name.lower() == key:
                values.extend(str(v) for v in as_list(value))
    return values


def trusted_services(statement: dict[str, Any]) -> set[str]:
    principal = statement.get("Principal")
    if not isinstance(principal, dict):
        return set()
    return {str(s) for s in as_list(principal.get("Service"))}


class Findings:
    """Soft assertions: every violated property is listed, then the test fails once."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def check(self, ok: bool, message: str) -> None:
        if not ok:
            self.items.append(message)


def read_back(session: Any, endpoint: str, config: Any, findings: Findings) -> dict[str, int]:  # noqa: C901
    """Assert the four practices on what moto holds; returns counts for the report."""
    kms = session.client("kms", endpoint_url=endpoint)
    s3 = session.client("s3", endpoint_url=endpoint)
    cloudtrail = session.client("cloudtrail", endpoint_url=endpoint)
    logs = session.client("logs", endpoint_url=endpoint)
    iam = session.client("iam", endpoint_url=endpoint)

    # encryption: every KMS key is customer managed and rotates.
    key_ids = [k["KeyId"] for page in kms.get_paginator("list_keys").paginate() for k in page["Keys"]]
    findings.check(
        len(key_ids) >= 2, f"expected separate customer managed keys per purpose, found {len(key_ids)} key(s)"
    )
    key_arns: dict[str, str] = {}
    for key_id in key_ids:
        meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
        key_arns[meta["Arn"]] = meta["KeyManager"]
        findings.check(meta["KeyManager"] == "CUSTOMER", f"KMS key {key_id}: KeyManager {meta['KeyManager']}")
        rotation = kms.get_key_rotation_status(KeyId=key_id)
        findings.check(
            rotation.get("KeyRotationEnabled") is True, f"KMS key {key_id} ({meta.get('Description')}): rotation off"
        )

    def customer_key(key_ref: str | None) -> bool:
        if not key_ref:
            return False
        try:
            meta = kms.describe_key(KeyId=key_ref)["KeyMetadata"]
        except Exception:  # noqa: BLE001 - an unresolvable id is the finding
            return False
        return meta["KeyManager"] == "CUSTOMER" and meta["Arn"] in key_arns

    # encryption + iam: buckets.
    buckets = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    findings.check(len(buckets) >= 4, f"expected the audit, access-log, artifacts and state buckets, found {buckets}")
    log_targets: set[str] = set()
    for bucket in buckets:
        logging = s3.get_bucket_logging(Bucket=bucket).get("LoggingEnabled")
        if logging:
            log_targets.add(logging["TargetBucket"])
    findings.check(
        len(log_targets) == 1, f"expected exactly one server access log target bucket, found {sorted(log_targets)}"
    )
    for bucket in buckets:
        is_log_target = bucket in log_targets
        if not is_log_target:
            findings.check(
                s3.get_bucket_logging(Bucket=bucket).get("LoggingEnabled") is not None,
                f"bucket {bucket}: server access logging is off",
            )
        versioning = s3.get_bucket_versioning(Bucket=bucket)
        findings.check(versioning.get("Status") == "Enabled", f"bucket {bucket}: versioning {versioning.get('Status')}")
        pab = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        for flag in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"):
            findings.check(pab.get(flag) is True, f"bucket {bucket}: public access block {flag} is {pab.get(flag)}")
        ownership = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
        findings.check(
            [r.get("ObjectOwnership") for r in ownership] == ["BucketOwnerEnforced"],
            f"bucket {bucket}: object ownership {ownership}",
        )
        rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
        default = rules[0]["ApplyServerSideEncryptionByDefault"] if rules else {}
        if is_log_target:
            # S3 server access log delivery cannot write SSE-KMS objects: SSE-S3 is the documented exception.
            findings.check(
                default.get("SSEAlgorithm") in {"AES256", "aws:kms"}, f"log bucket {bucket}: no default encryption"
            )
        else:
            findings.check(
                default.get("SSEAlgorithm") == "aws:kms",
                f"bucket {bucket}: SSE {default.get('SSEAlgorithm')}, not aws:kms",
            )
            findings.check(
                customer_key(default.get("KMSMasterKeyID")),
                f"bucket {bucket}: SSE key {default.get('KMSMasterKeyID')!r} is not one of the customer managed keys",
            )
            findings.check(rules[0].get("BucketKeyEnabled") is True, f"bucket {bucket}: bucket key not enabled")
        policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
        denies_http = any(
            st.get("Effect") == "Deny" and [v.lower() for v in condition_values(st, "aws:securetransport")] == ["false"]
            for st in as_list(policy.get("Statement"))
        )
        findings.check(denies_http, f"bucket {bucket}: policy does not deny aws:SecureTransport = false")

    # audit: a multi-region, validated, KMS-encrypted trail with global events that is logging.
    trails = cloudtrail.describe_trails()["trailList"]
    findings.check(len(trails) >= 1, "no CloudTrail trail")
    for trail in trails:
        name = trail["Name"]
        findings.check(trail.get("IsMultiRegionTrail") is True, f"trail {name}: not multi-region")
        findings.check(trail.get("LogFileValidationEnabled") is True, f"trail {name}: log file validation off")
        findings.check(trail.get("IncludeGlobalServiceEvents") is True, f"trail {name}: global service events off")
        findings.check(
            customer_key(trail.get("KmsKeyId")),
            f"trail {name}: KmsKeyId {trail.get('KmsKeyId')!r} is not a customer managed key",
        )
        findings.check(bool(trail.get("CloudWatchLogsLogGroupArn")), f"trail {name}: no CloudWatch Logs group")
        status = cloudtrail.get_trail_status(Name=trail["TrailARN"])
        findings.check(status.get("IsLogging") is True, f"trail {name}: IsLogging {status.get('IsLogging')}")
        selectors = cloudtrail.get_event_selectors(TrailName=trail["TrailARN"]).get("EventSelectors") or []
        findings.check(
            any(s.get("ReadWriteType") == "All" and s.get("IncludeManagementEvents") is True for s in selectors),
            f"trail {name}: no event selector recording all (read and write) management events: {selectors}",
        )

    # audit + encryption: log groups are KMS-encrypted with a customer managed key.
    groups = [g for page in logs.get_paginator("describe_log_groups").paginate() for g in page["logGroups"]]
    findings.check(len(groups) >= 1, "no CloudWatch Logs group")
    for group in groups:
        findings.check(
            customer_key(group.get("kmsKeyId")),
            f"log group {group['logGroupName']}: kmsKeyId {group.get('kmsKeyId')!r}",
        )
        findings.check(
            group.get("retentionInDays") == config.log_retention_days,
            f"log group {group['logGroupName']}: retention {group.get('retentionInDays')}, expected "
            f"{config.log_retention_days}",
        )

    # iam: every role a Proton or CodeBuild principal may assume has both confused-deputy conditions.
    allowed_accounts = {config.account_id, *config.environment_account_ids}
    arn_shape = re.compile(
        rf"^arn:{config.partition}:(proton|codebuild):{re.escape(config.region)}:(\d{{12}}):[A-Za-z-]+/\S+$"
    )
    service_roles = 0
    roles = [r for page in iam.get_paginator("list_roles").paginate() for r in page["Roles"]]
    for role in roles:
        document = role["AssumeRolePolicyDocument"]
        if isinstance(document, str):
            document = json.loads(document)
        for statement in as_list(document.get("Statement")):
            services = trusted_services(statement) & set(TRUSTED_SERVICES)
            if not services or statement.get("Effect") != "Allow":
                continue
            service_roles += 1
            where = f"role {role['RoleName']} (trusts {sorted(services)})"
            accounts = condition_values(statement, "aws:sourceaccount")
            source_arns = condition_values(statement, "aws:sourcearn")
            findings.check(bool(accounts), f"{where}: no aws:SourceAccount condition")
            findings.check(bool(source_arns), f"{where}: no aws:SourceArn condition")
            findings.check(
                set(accounts) <= allowed_accounts,
                f"{where}: aws:SourceAccount {accounts} outside {sorted(allowed_accounts)}",
            )
            for arn in source_arns:
                match = arn_shape.match(arn)
                findings.check(
                    bool(match) and match.group(2) in allowed_accounts,
                    f"{where}: aws:SourceArn {arn!r} is not a well-formed proton/codebuild ARN in an allowed account",
                )
    expected_roles = 1 + config.create_codebuild_role + config.create_pipeline_role + config.create_component_role
    expected_roles += bool(config.environment_account_ids)
    findings.check(
        service_roles >= expected_roles,
        f"expected at least {expected_roles} Proton/CodeBuild-trusted roles, found {service_roles}",
    )
    return {
        "kms_keys": len(key_ids),
        "buckets": len(buckets),
        "trails": len(trails),
        "log_groups": len(groups),
        "service_roles": service_roles,
    }


def read_back_secrets(
    session: Any, endpoint: str, config: Any, written: dict[str, str], state_text: str, findings: Findings
) -> None:
    """secrets: secrets and SecureString parameters use a customer managed key, and no value that
    reached Secrets Manager or SSM (the test's own, or one generated at apply time) is in the state."""
    kms = session.client("kms", endpoint_url=endpoint)
    sm = session.client("secretsmanager", endpoint_url=endpoint)
    ssm = session.client("ssm", endpoint_url=endpoint)

    def customer_key(key_ref: str | None) -> bool:
        if not key_ref:
            return False
        try:
            return kms.describe_key(KeyId=key_ref)["KeyMetadata"]["KeyManager"] == "CUSTOMER"
        except Exception:  # noqa: BLE001 - an unresolvable id is the finding
            return False

    for name in config.secret_names:
        described = sm.describe_secret(SecretId=name)
        findings.check(
            customer_key(described.get("KmsKeyId")), f"secret {name}: KmsKeyId {described.get('KmsKeyId')!r}"
        )
        if name in written:
            value = sm.get_secret_value(SecretId=name).get("SecretString")
            findings.check(value == written[name], f"secret {name}: the write-only value did not reach Secrets Manager")
        elif described.get("VersionIdsToStages"):
            value = sm.get_secret_value(SecretId=name).get("SecretString")
        else:
            continue  # a container without a value: nothing that could leak
        findings.check(not value or value not in state_text, f"secret {name}: its value is in terraform.tfstate")
    for name in config.secure_parameter_names:
        parameter = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [name]}])["Parameters"]
        findings.check(len(parameter) == 1, f"SSM parameter {name} missing")
        if not parameter:
            continue
        findings.check(
            parameter[0].get("Type") == "SecureString", f"SSM parameter {name}: type {parameter[0].get('Type')}"
        )
        findings.check(
            customer_key(parameter[0].get("KeyId")), f"SSM parameter {name}: KeyId {parameter[0].get('KeyId')!r}"
        )
        value = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"].get("Value")
        findings.check(not value or value not in state_text, f"SSM parameter {name}: its value is in terraform.tfstate")


def read_back_account_baseline(session: Any, endpoint: str, config: Any, findings: Findings) -> dict[str, int]:  # noqa: C901
    """The CIS account baseline as moto holds it: password policy, support role, account public
    access block; per region EBS encryption by default and its key, the Config recorder and its
    delivery channel, the GuardDuty detector; in the home region each CIS metric filter and alarm."""
    from botocore.config import Config

    iam = session.client("iam", endpoint_url=endpoint)
    kms_home = session.client("kms", endpoint_url=endpoint)
    audit_key_arn = kms_home.describe_key(KeyId=f"alias/{config.name}-audit")["KeyMetadata"]["Arn"]
    audit_bucket = next(
        b["Name"]
        for b in session.client("s3", endpoint_url=endpoint).list_buckets()["Buckets"]
        if "-audit-" in b["Name"]
    )

    # iam: CIS 1.8 and 1.9, and 1.17.
    policy = iam.get_account_password_policy()["PasswordPolicy"]
    findings.check(
        policy.get("MinimumPasswordLength", 0) >= iam_model.MIN_PASSWORD_LENGTH,
        f"password policy: minimum length {policy.get('MinimumPasswordLength')}",
    )
    findings.check(
        policy.get("PasswordReusePrevention") == iam_model.PASSWORD_REUSE_PREVENTION,
        f"password policy: reuse prevention {policy.get('PasswordReusePrevention')}",
    )
    for flag in ("RequireSymbols", "RequireNumbers", "RequireUppercaseCharacters", "RequireLowercaseCharacters"):
        findings.check(policy.get(flag) is True, f"password policy: {flag} is {policy.get(flag)}")
    support = iam.get_role(RoleName=f"{config.name}-support")["Role"]
    attached = [
        p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=support["RoleName"])["AttachedPolicies"]
    ]
    findings.check(
        attached == [f"arn:{config.partition}:iam::aws:policy/{iam_model.SUPPORT_POLICY}"],
        f"support role: attached {attached}",
    )
    trust = support["AssumeRolePolicyDocument"]
    trust = json.loads(trust) if isinstance(trust, str) else trust
    findings.check(
        all(condition_values(s, "aws:multifactorauthpresent") == ["true"] for s in as_list(trust.get("Statement"))),
        f"support role: trust does not require MFA: {trust}",
    )

    # iam: CIS 2.1.4 at the account level. S3 Control puts the account id in front of the host, as
    # for terraform: moto is the proxy that host is reached through.
    s3control = session.client("s3control", endpoint_url=endpoint, config=Config(proxies={"http": endpoint}))
    account_pab = s3control.get_public_access_block(AccountId=config.account_id)["PublicAccessBlockConfiguration"]
    for flag in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"):
        findings.check(account_pab.get(flag) is True, f"account public access block: {flag} is {account_pab.get(flag)}")

    # Per region: encryption (CIS 2.2.1) and audit (CIS 3.3, GuardDuty).
    config_role_arn = iam.get_role(RoleName=f"{config.name}-config-recorder")["Role"]["Arn"]
    for region in config.all_regions:
        home = region == config.region
        ec2 = session.client("ec2", endpoint_url=endpoint, region_name=region)
        kms = session.client("kms", endpoint_url=endpoint, region_name=region)
        findings.check(
            ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is True,
            f"{region}: EBS encryption by default is off",
        )
        ebs_key = kms.describe_key(KeyId=f"alias/{config.name}-ebs")["KeyMetadata"]
        findings.check(
            ebs_key["KeyManager"] == "CUSTOMER" and f":{region}:" in ebs_key["Arn"],
            f"{region}: the EBS key is {ebs_key['Arn']} ({ebs_key['KeyManager']})",
        )
        findings.check(
            kms.get_key_rotation_status(KeyId=ebs_key["KeyId"]).get("KeyRotationEnabled") is True,
            f"{region}: EBS key rotation off",
        )
        service = session.client("config", endpoint_url=endpoint, region_name=region)
        recorders = service.describe_configuration_recorders()["ConfigurationRecorders"]
        findings.check(len(recorders) == 1, f"{region}: {len(recorders)} Config recorders")
        for recorder in recorders:
            group = recorder.get("recordingGroup") or {}
            findings.check(group.get("allSupported") is True, f"{region}: Config records {group}")
            findings.check(
                group.get("includeGlobalResourceTypes") is home,
                f"{region}: global resource types recorded is {group.get('includeGlobalResourceTypes')}, expected "
                f"{home}",
            )
            findings.check(
                recorder.get("roleARN") == config_role_arn, f"{region}: Config role {recorder.get('roleARN')}"
            )
        statuses = service.describe_configuration_recorder_status()["ConfigurationRecordersStatus"]
        findings.check([s.get("recording") for s in statuses] == [True], f"{region}: Config recorder status {statuses}")
        channels = service.describe_delivery_channels()["DeliveryChannels"]
        findings.check(
            [(c.get("s3BucketName"), c.get("s3KeyPrefix"), c.get("s3KmsKeyArn")) for c in channels]
            == [(audit_bucket, audit_model.CONFIG_PREFIX, audit_key_arn)],
            f"{region}: Config delivery channels {channels}",
        )
        guardduty = session.client("guardduty", endpoint_url=endpoint, region_name=region)
        detectors = guardduty.list_detectors()["DetectorIds"]
        findings.check(len(detectors) == 1, f"{region}: {len(detectors)} GuardDuty detectors")
        for detector in detectors:
            found = guardduty.get_detector(DetectorId=detector)
            findings.check(found.get("Status") == "ENABLED", f"{region}: GuardDuty detector {found.get('Status')}")

    # The Config role: trusted by Config for this account, writing only its prefix of the audit bucket.
    role = iam.get_role(RoleName=f"{config.name}-config-recorder")["Role"]
    trust = role["AssumeRolePolicyDocument"]
    trust = json.loads(trust) if isinstance(trust, str) else trust
    for statement in as_list(trust.get("Statement")):
        findings.check(
            trusted_services(statement) == {"config.amazonaws.com"}
            and condition_values(statement, "aws:sourceaccount") == [config.account_id],
            f"Config role trust: {statement}",
        )
    inline = iam.get_role_policy(RoleName=role["RoleName"], PolicyName="config-delivery")["PolicyDocument"]
    inline = json.loads(inline) if isinstance(inline, str) else inline
    writes = [s for s in as_list(inline.get("Statement")) if "s3:PutObject" in as_list(s.get("Action"))]
    findings.check(
        [as_list(s.get("Resource")) for s in writes]
        == [
            [
                f"arn:{config.partition}:s3:::{audit_bucket}/{audit_model.CONFIG_PREFIX}/AWSLogs/{config.account_id}/Config/*"
            ]
        ],
        f"Config role writes {[s.get('Resource') for s in writes]}",
    )

    # audit: CIS 4.1-4.15 on the trail's log group, alarms to the encrypted alarm topic.
    logs = session.client("logs", endpoint_url=endpoint)
    cloudwatch = session.client("cloudwatch", endpoint_url=endpoint)
    sns = session.client("sns", endpoint_url=endpoint)
    log_group = f"/aws/cloudtrail/{config.name}"
    filters = {
        f["filterName"]: f
        for page in logs.get_paginator("describe_metric_filters").paginate(logGroupName=log_group)
        for f in page["metricFilters"]
    }
    alarms = {
        a["AlarmName"]: a
        for page in cloudwatch.get_paginator("describe_alarms").paginate(AlarmNamePrefix=f"{config.name}-cis-")
        for a in page["MetricAlarms"]
    }
    topic_arn = f"arn:{config.partition}:sns:{config.region}:{config.account_id}:{config.name}-cis-alarms"
    topic = sns.get_topic_attributes(TopicArn=topic_arn)["Attributes"]
    findings.check(
        topic.get("KmsMasterKeyId") in {audit_key_arn, audit_key_arn.split("/")[-1]},
        f"alarm topic: KmsMasterKeyId {topic.get('KmsMasterKeyId')!r}, not the audit key",
    )
    publishers = [
        s
        for s in as_list(json.loads(topic["Policy"]).get("Statement"))
        if "cloudwatch.amazonaws.com" in trusted_services(s)
    ]
    findings.check(
        len(publishers) == 1 and condition_values(publishers[0], "aws:sourceaccount") == [config.account_id],
        f"alarm topic policy: {topic['Policy']}",
    )
    subscriptions = sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"]
    findings.check(
        [(s["Protocol"], s["Endpoint"]) for s in subscriptions] == [("email", config.alarm_email)],
        f"alarm topic subscriptions: {subscriptions}",
    )
    findings.check(
        len(filters) == len(audit_model.CIS_ALARMS) == len(alarms),
        f"{len(filters)} metric filters and {len(alarms)} alarms for {len(audit_model.CIS_ALARMS)} CIS controls",
    )
    for key, control in audit_model.CIS_ALARMS.items():
        name = f"{config.name}-cis-{key}"
        found = filters.get(name)
        if found is None:
            findings.check(False, f"CIS {control.control}: no metric filter {name} on {log_group}")
            continue
        findings.check(
            found["filterPattern"] == control.pattern, f"CIS {control.control}: pattern {found['filterPattern']!r}"
        )
        transformation = found["metricTransformations"][0]
        findings.check(
            (transformation["metricName"], transformation["metricNamespace"], transformation["metricValue"])
            == (control.metric, audit_model.ALARM_NAMESPACE, "1"),
            f"CIS {control.control}: metric {transformation}",
        )
        alarm = alarms.get(name)
        if alarm is None:
            findings.check(False, f"CIS {control.control}: no alarm {name}")
            continue
        findings.check(
            (
                alarm["MetricName"],
                alarm["Namespace"],
                alarm["Statistic"],
                alarm["Threshold"],
                alarm["ComparisonOperator"],
            )
            == (control.metric, audit_model.ALARM_NAMESPACE, "Sum", 1.0, "GreaterThanOrEqualToThreshold"),
            f"CIS {control.control}: alarm {alarm}",
        )
        findings.check(
            alarm.get("AlarmActions") == [topic_arn],
            f"CIS {control.control}: alarm actions {alarm.get('AlarmActions')}",
        )
    return {"regions": len(config.all_regions), "cis_metric_filters": len(filters), "cis_alarms": len(alarms)}


def moto_errors(log: str, limit: int = 8000) -> str:
    """The moto log without successful requests and 404s (the provider probes a lot): tracebacks, 4xx, 5xx."""
    ok = re.compile(r'^127\.0\.0\.1 - - \[[^]]*\] "[^"]*" ([23]\d\d|404) ')
    banner = ("WARNING: This is a development server", " * Running on ", "Press CTRL+C to quit")
    plain = (re.sub(r"\x1b\[[0-9;]*m", "", line) for line in log.splitlines())
    lines = [line for line in plain if not ok.match(line) and not any(b in line for b in banner)]
    return "\n".join(lines)[-limit:]


# --- the proof --------------------------------------------------------------------------------


def empty_buckets(session: Any, endpoint: str) -> dict[str, int]:
    """Delete every object version and delete marker; returns how many per bucket."""
    s3 = session.client("s3", endpoint_url=endpoint)
    deleted: dict[str, int] = {}
    for bucket in (b["Name"] for b in s3.list_buckets()["Buckets"]):
        count = 0
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            objects = [
                {"Key": v["Key"], "VersionId": v["VersionId"]}
                for v in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
            ]
            for chunk in range(0, len(objects), 1000):
                batch = objects[chunk : chunk + 1000]
                errors = s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True}).get("Errors")
                assert not errors, f"emptying {bucket}: {errors[:5]}"
                count += len(batch)
        left = s3.list_object_versions(Bucket=bucket)
        remaining = [*left.get("Versions", []), *left.get("DeleteMarkers", [])]
        assert not remaining, f"{bucket} still holds {[(v['Key'], v.get('VersionId')) for v in remaining[:5]]}"
        deleted[bucket] = count
    return deleted


def test_apply_against_moto_reads_back_every_practice_then_destroys(
    terraform_env: tfenv.TerraformEnv,
    moto_applied_baseline: moto_apply.Applied,
    record_property: Any,
) -> None:
    import boto3

    applied = moto_applied_baseline  # applied beside the suite: support/moto_apply.py
    endpoint = applied.url
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", endpoint), endpoint  # loopback only
    config = moto_apply.moto_config()
    assert config.account_id == ACCOUNT
    assert len(config.all_regions) > 1, "the regional services are applied in a second region through its alias"
    workdir = applied.workdir
    findings = Findings()

    def failed(result: tfenv.TerraformResult) -> None:
        earlier = "".join(f"- {item}\n" for item in findings.items)
        pytest.fail(
            (f"read-back findings before this failure:\n{earlier}" if earlier else "")
            + f"`terraform {' '.join(result.args)}` exited {result.returncode} after {result.seconds:.0f}s\n"
            f"--- stderr ---\n{result.stderr[-12000:]}\n"
            f"--- moto server errors ---\n{moto_errors(moto.tail(applied.moto_log, 200_000))}\n"
            f"--- stdout (tail) ---\n{result.stdout[-4000:]}"
        )

    if applied.failed is not None:
        failed(applied.failed)
    timings = {step.args[0]: step.seconds for step in applied.steps}

    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=config.region
    )
    counts = read_back(session, endpoint, config, findings)
    counts |= read_back_account_baseline(session, endpoint, config, findings)
    state_text = (workdir / "terraform.tfstate").read_text(encoding="utf-8")
    read_back_secrets(session, endpoint, config, applied.written, state_text, findings)

    # The buckets keep force_destroy = false (audit data must not vanish with a destroy), and moto,
    # like S3, delivers server access logs into the log bucket. Decommission as an operator would:
    # stop access logging and remove the bucket policies (`aws s3api put-bucket-logging` and
    # `delete-bucket-policy`), empty the buckets, then destroy everything; terraform's delete of a
    # logging or policy resource already gone succeeds, as on S3. (The policies go first because
    # moto 5.2 wrongly DENIES DeleteObjects under any Deny statement whose condition is not met,
    # here DenyInsecureTransport: iam/access_control.py _check_conditions.) One destroy instead of
    # a targeted one and a full one: each terraform run costs a plan with the provider's start-up.
    # The state file read above names what the apply created; no `terraform state list` process.
    in_state = {r["type"] for r in json.loads(state_text)["resources"] if r["mode"] == "managed" and r["instances"]}
    findings.check("aws_s3_bucket_logging" in in_state, "no aws_s3_bucket_logging in state")
    findings.check("aws_s3_bucket_policy" in in_state, "no aws_s3_bucket_policy in state")
    s3 = session.client("s3", endpoint_url=endpoint)
    for bucket in (b["Name"] for b in s3.list_buckets()["Buckets"]):
        s3.put_bucket_logging(Bucket=bucket, BucketLoggingStatus={})
        s3.delete_bucket_policy(Bucket=bucket)
    emptied = empty_buckets(session, endpoint)
    parallelism = f"-parallelism={moto_apply.PARALLELISM}"
    destroy = terraform_env.run(
        ["destroy", "-auto-approve", "-input=false", "-no-color", "-refresh=false", parallelism],
        workdir,
        extra_env=applied.env,
        unset=moto_apply.aws_variables(terraform_env),
        check=False,
    )
    if destroy.returncode != 0:
        failed(destroy)
    timings["destroy"] = destroy.seconds
    timings["total"] = sum(timings.values())
    state_after = json.loads((workdir / "terraform.tfstate").read_text(encoding="utf-8"))
    findings.check(
        not state_after.get("resources"),
        "resources left in state after destroy: "
        f"{[r.get('type') + '.' + r.get('name') for r in state_after.get('resources', [])]}",
    )
    s3_left = [b["Name"] for b in session.client("s3", endpoint_url=endpoint).list_buckets()["Buckets"]]
    findings.check(not s3_left, f"buckets left after destroy: {s3_left}")

    for key, seconds in timings.items():
        record_property(f"terraform_{key}_seconds", round(seconds, 1))
    record_property("moto_read_back_counts", json.dumps(counts))
    record_property("objects_deleted_before_destroy", json.dumps(emptied))
    print(f"moto apply: {counts}; " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()))
    assert not findings.items, "the applied baseline misses practices:\n- " + "\n- ".join(findings.items)
