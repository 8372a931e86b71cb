"""Proof 4 of `tfgen init`: the rendered baseline applies against moto server, boto3 reads the
result back and finds each practice in place, and `terraform destroy` succeeds.

The baseline is rendered for moto's account (123456789012) with every optional resource on.
Only the test's COPY gets `zz_moto_override.tf`: provider endpoints on the loopback moto
server, throwaway test credentials, the skip flags, and a local backend. terraform runs with
HTTP(S)_PROXY on a dead loopback port, so a call to any endpoint the override forgot fails
instead of reaching AWS.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from support import terraform as tfenv

from tfgen.hcl.quote import quote, unquote
from tfgen.hcl.read import read_file

pytestmark = [pytest.mark.terraform, pytest.mark.moto]

ACCOUNT = "123456789012"  # moto's default account (conftest renders the baseline for it)
OVERRIDE_NAME = "zz_moto_override.tf"

# Provider `endpoints` keys for every service the baseline touches (sts: the account id lookup).
ENDPOINT_SERVICES = ("cloudtrail", "cloudwatchlogs", "iam", "kms", "s3", "secretsmanager", "sns", "ssm", "sts")
# Resource/data/ephemeral type prefix -> the endpoint key it calls.
TYPE_PREFIX_SERVICE = {
    "aws_cloudtrail": "cloudtrail",
    "aws_cloudwatch_log_": "cloudwatchlogs",
    "aws_iam_": "iam",
    "aws_kms_": "kms",
    "aws_s3_": "s3",
    "aws_secretsmanager_": "secretsmanager",
    "aws_sns_": "sns",
    "aws_ssm_": "ssm",
    "aws_caller_identity": "sts",
}
# Types that never call an API (computed locally by the provider).
LOCAL_TYPES = {"aws_partition", "aws_region", "aws_iam_policy_document"}

# Most of the apply is the provider's fixed waits (S3 lifecycle ~55 s, KMS key ~12 s): run them all at once.
PARALLELISM = 32

TRUSTED_SERVICES = ("proton.amazonaws.com", "codebuild.amazonaws.com")


# --- the override (test copy only) ------------------------------------------------------------


def _plain(value: Any) -> Any:
    """python-hcl2 8.x keeps the quotes of labels and strings."""
    return unquote(value) if isinstance(value, str) and value.startswith('"') else value


def provider_aliases(root: Path) -> list[str | None]:
    """Aliases of every `provider "aws"` block in the root module (None: the default one)."""
    aliases: list[str | None] = []
    for path in sorted(root.glob("*.tf")):
        parsed = read_file(path, path.name)
        for entry in parsed.data.get("provider", []):
            for label, body in entry.items():
                if _plain(label) == "aws":
                    aliases.append(_plain(body.get("alias")))
    return sorted(set(aliases), key=lambda a: a or "") or [None]


def override_text(endpoint: str, aliases: Iterable[str | None]) -> str:
    # skip_requesting_account_id stays off on purpose: the baseline sets allowed_account_ids, which
    # the provider checks against the account moto's STS reports (with the skip it fails with
    # "AWS account ID not allowed: ").
    blocks = [
        "# Test copy only: a moto server on loopback, throwaway credentials, local state.\nterraform {\n  backend "
        '"local" {}\n}\n'
    ]
    width = max(len(s) for s in ENDPOINT_SERVICES)
    endpoints = "".join(f"    {s.ljust(width)} = {quote(endpoint)}\n" for s in ENDPOINT_SERVICES)
    for alias in aliases:
        alias_line = f"  alias                       = {quote(alias)}\n" if alias else ""
        blocks.append(
            'provider "aws" {\n'
            f"{alias_line}"
            '  access_key                  = "testing"\n'
            '  secret_key                  = "testing"\n'
            "  skip_credentials_validation = true\n"
            "  skip_metadata_api_check     = true\n"
            "  s3_use_path_style           = true\n"
            "  max_retries                 = 2\n"
            "  endpoints {\n"
            f"{endpoints}"
            "  }\n"
            "}\n"
        )
    return "\n".join(blocks)


def used_types(root: Path) -> set[str]:
    types: set[str] = set()
    for path in sorted(root.rglob("*.tf")):
        if ".terraform" in path.parts:
            continue
        for block in read_file(path, str(path.relative_to(root))).blocks:
            if block.type in {"resource", "data", "ephemeral"} and block.labels:
                types.add(block.labels[0])
    return types


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


def root_variables(root: Path) -> set[str]:
    names: set[str] = set()
    for path in sorted(root.glob("*.tf")):
        for block in read_file(path, path.name).blocks:
            if block.type == "variable" and block.labels:
                names.add(block.labels[0])
    return names


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


def hcl_map(values: dict[str, Any]) -> str:
    return (
        "{"
        + ", ".join(f"{quote(k)} = {v if isinstance(v, int) else quote(v)}" for k, v in sorted(values.items()))
        + "}"
    )


def test_apply_against_moto_reads_back_every_practice_then_destroys(
    terraform_env: tfenv.TerraformEnv,
    moto_server_process: Any,
    rendered_full_baseline: Path,
    full_baseline_config: Any,
    tmp_path: Path,
    record_property: Any,
) -> None:
    import boto3

    endpoint = moto_server_process.url
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", endpoint), endpoint  # loopback only
    moto_server_process.reset()
    config = full_baseline_config
    assert config.account_id == ACCOUNT

    workdir = tfenv.copy_tree(rendered_full_baseline, tmp_path / "baseline")
    assert not (rendered_full_baseline / OVERRIDE_NAME).exists()
    (workdir / OVERRIDE_NAME).write_text(override_text(endpoint, provider_aliases(workdir)), encoding="utf-8")

    tf_env = {"AWS_EC2_METADATA_DISABLED": "true"}
    # Where the baseline takes secret values at apply time (ephemeral variables feeding write-only
    # arguments), pass one as TF_VAR_* and check it reaches Secrets Manager but not the state.
    written: dict[str, str] = {}
    if {"secret_values", "secret_value_versions"} <= root_variables(workdir):
        first_secret = sorted(config.secret_names)[0]
        written[first_secret] = "moto-" + secrets.token_hex(16)
        tf_env["TF_VAR_secret_value_versions"] = hcl_map({first_secret: 1})
        tf_env["TF_VAR_secret_values"] = hcl_map(written)
    # Nothing from the caller's AWS configuration (profiles, endpoints, CA bundles) may leak in.
    clear_aws = [k for k in terraform_env.env if k.startswith("AWS_")]

    findings = Findings()

    def tf(*args: str, timeout: float = 900) -> tfenv.TerraformResult:
        result = terraform_env.run(list(args), workdir, timeout=timeout, extra_env=tf_env, unset=clear_aws, check=False)
        if result.returncode != 0:
            earlier = "".join(f"- {item}\n" for item in findings.items)
            pytest.fail(
                (f"read-back findings before this failure:\n{earlier}" if earlier else "")
                + f"`terraform {' '.join(args)}` exited {result.returncode} after {result.seconds:.0f}s\n"
                f"--- stderr ---\n{result.stderr[-12000:]}\n"
                f"--- moto server errors ---\n{moto_errors(moto_server_process.log_tail(200_000))}\n"
                f"--- stdout (tail) ---\n{result.stdout[-4000:]}"
            )
        return result

    timings: dict[str, float] = {}
    start = time.monotonic()
    timings["init"] = tf("init", "-input=false", "-no-color").seconds
    timings["apply"] = tf("apply", "-auto-approve", "-input=false", "-no-color", f"-parallelism={PARALLELISM}").seconds

    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=config.region
    )
    counts = read_back(session, endpoint, config, findings)
    state_text = (workdir / "terraform.tfstate").read_text(encoding="utf-8")
    read_back_secrets(session, endpoint, config, written, state_text, findings)

    # The buckets keep force_destroy = false (audit data must not vanish with a destroy), and moto,
    # like S3, delivers server access logs into the log bucket. Decommission as an operator would:
    # stop access logging, remove the bucket policies, empty the buckets, then destroy everything.
    # (The policies go first because moto 5.2 wrongly DENIES DeleteObjects under any Deny statement
    # whose condition is not met, here DenyInsecureTransport: iam/access_control.py _check_conditions.)
    state_list = tf("state", "list").stdout.split()
    first = [a for a in state_list if re.search(r"(^|\.)aws_s3_bucket_(logging|policy)\.", a)]
    findings.check(any(".aws_s3_bucket_logging." in f".{a}" for a in first), "no aws_s3_bucket_logging in state")
    targets = [f"-target={a}" for a in first]
    timings["destroy_logging_and_policies"] = tf(
        "destroy",
        "-auto-approve",
        "-input=false",
        "-no-color",
        "-refresh=false",
        f"-parallelism={PARALLELISM}",
        *targets,
    ).seconds
    emptied = empty_buckets(session, endpoint)
    timings["destroy"] = tf(
        "destroy", "-auto-approve", "-input=false", "-no-color", "-refresh=false", f"-parallelism={PARALLELISM}"
    ).seconds
    timings["total"] = time.monotonic() - start
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
