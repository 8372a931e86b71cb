"""checkov findings tfgen knows to be false positives, reported as skipped with the reason.

Each correction is narrow (one check id, one documented situation) and never hides a real
problem: tfgen's own rules check what the corrected check was meant to catch.

- CKV_AWS_109/111/356 on an `aws_iam_policy_document` used only as a KMS key policy: in a key
  policy `Resource = "*"` means "this key" (TFGEN_IAM_3 still reports a public principal).
- CKV2_AWS_10 on a trail that names its CloudWatch Logs group by ARN: checkov only recognises
  a log group resource it can connect to (TFGEN_AUDIT_5 checks the ARN).
- CKV_AWS_145 on an S3 server access log target bucket: log delivery does not support SSE-KMS.
"""

from __future__ import annotations

import re

from tfgen.validate.module import Module
from tfgen.validate.report import FAILED, SKIPPED, Finding
from tfgen.validate.rules.encryption import is_log_target, log_targets

KEY_POLICY_WILDCARD_CHECKS = frozenset({"CKV_AWS_109", "CKV_AWS_111", "CKV_AWS_356"})
KEY_POLICY_HOLDERS = frozenset({"aws_kms_key", "aws_kms_key_policy", "aws_kms_replica_key", "aws_kms_external_key"})

KEY_POLICY_REASON = 'tfgen: checkov false positive: in a KMS key policy Resource = "*" means this key'
LOG_GROUP_REASON = (
    "tfgen: checkov false positive: the trail names its CloudWatch Logs group by ARN (TFGEN_AUDIT_5 checks it)"
)
ACCESS_LOG_REASON = "tfgen: checkov false positive: S3 server access log target buckets cannot use SSE-KMS"


# re.S: a resource name is whatever checkov printed; "\n" in it failed the match (hypothesis found it)
_MODULE_PREFIX = re.compile(r"^((?:module\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.)*)(.*)$", re.S)


def split_address(resource: str) -> tuple[str, str]:
    """`module.a["k"].data.x.y[0]` -> (`module.a["k"].`, `data.x.y[0]`)."""
    match = _MODULE_PREFIX.match(resource)
    assert match is not None
    return match.group(1), match.group(2)


def _split(resource: str) -> tuple[str, str] | None:
    local = split_address(resource)[1]
    parts = local.split("[")[0].split(".")
    if parts and parts[0] == "data":
        parts = parts[1:]
    if len(parts) != 2:
        return None
    return parts[0], parts[1]


def correct(finding: Finding, module: Module | None) -> Finding:
    if finding.status != FAILED or module is None or not finding.resource:
        return finding
    split = _split(finding.resource)
    if split is None:
        return finding
    rtype, name = split
    if finding.id in KEY_POLICY_WILDCARD_CHECKS and rtype == "aws_iam_policy_document":
        users = module.referrers.get(f"data.aws_iam_policy_document.{name}", [])
        if users and all(
            node.kind == "resource" and node.type in KEY_POLICY_HOLDERS and attr == "policy" for node, attr in users
        ):
            return finding.with_status(SKIPPED, KEY_POLICY_REASON)
    if finding.id == "CKV2_AWS_10" and rtype == "aws_cloudtrail":
        trail = module.by_address.get(f"aws_cloudtrail.{name}")
        if trail is not None and trail.body.get("cloud_watch_logs_group_arn") not in (None, ""):
            return finding.with_status(SKIPPED, LOG_GROUP_REASON)
    if finding.id == "CKV_AWS_145" and rtype in ("aws_s3_bucket", "aws_s3_bucket_server_side_encryption_configuration"):
        names, literals = log_targets(module)
        node = module.by_address.get(f"{rtype}.{name}")
        if node is not None:
            from tfgen.hcl.values import Expr

            bucket_value = Expr(f"aws_s3_bucket.{name}.id") if rtype == "aws_s3_bucket" else node.body.get("bucket")
            if is_log_target(module, names, literals, bucket_value):
                return finding.with_status(SKIPPED, ACCESS_LOG_REASON)
    return finding
