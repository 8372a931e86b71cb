"""The blueprint's facts, each written once: read by the templates (as `facts`), by the answers'
validation (`tfgen.init.config`) and by the blueprint model (`tfgen.init.blueprint_model`).

The static modules (blueprints/modules/*) are plain Terraform and cannot read this file; the
limits they repeat in their variable validations are tied to these values by
tests/test_init_facts.py, which asks terraform itself.
"""

from __future__ import annotations

# --- versions.tf (the root's and every module's) ---------------------------------------------
# 1.11 is the first release with write-only (`*_wo`) arguments; ephemeral values need 1.10.
REQUIRED_VERSION = ">= 1.11"
PROVIDER_SOURCE = "hashicorp/aws"
PROVIDER_VERSION = ">= 5.100, < 6.0"

# --- names ------------------------------------------------------------------------------------
# Every bucket is "<name>-<purpose>-<account>-<region>"; the longest, "<name>-access-logs-<account>-
# <region>", must fit S3's 63 characters, which bounds the name prefix.
BUCKET_NAME = "{name}-{purpose}-{account_id}-{region}"
STATE_BUCKET_PURPOSE = "tfstate"
NAME_MIN_LENGTH = 3
NAME_MAX_LENGTH = 16
# A DNS-safe prefix of that length: lowercase letters, digits and hyphens, starting with a letter,
# not ending with a hyphen (the answers' check also refuses "--").
NAME_PATTERN = f"[a-z][a-z0-9-]{{{NAME_MIN_LENGTH - 2},{NAME_MAX_LENGTH - 2}}}[a-z0-9]"
# An address SNS can mail the CIS alarms to: one @, a dotted domain, nothing else (`[.]`, not an
# escaped dot, so the same text reads alike in Python and in an HCL string).
EMAIL_PATTERN = "[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,252}[.][A-Za-z]{2,63}"
# The state key's alias (modules/kms names it "alias/<name>-state"), as backend.tf's kms_key_id.
STATE_KEY_ALIAS_ARN = "arn:{partition}:kms:{region}:{account_id}:alias/{name}-state"

# --- retention --------------------------------------------------------------------------------
# CloudWatch Logs accepts only these retention periods.
CLOUDWATCH_RETENTION_DAYS: tuple[int, ...] = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)
# Audit logs are kept at least a year.
MIN_LOG_RETENTION_DAYS = 365
LOG_RETENTION_DAYS: tuple[int, ...] = tuple(d for d in CLOUDWATCH_RETENTION_DAYS if d >= MIN_LOG_RETENTION_DAYS)
# Noncurrent S3 object versions: deleted after 1..3650 days.
NONCURRENT_DAYS_MIN = 1
NONCURRENT_DAYS_MAX = 3650


def region_key(region: str) -> str:
    """The identifier a region gives its provider alias and module calls: eu-west-1 -> eu_west_1.

    Only for region names `tfgen.init.regions` knows (letters, digits and hyphens)."""
    return region.replace("-", "_")


def bucket_name(purpose: str, name: str, account_id: str, region: str) -> str:
    """A bucket's name; give Terraform references (`${var.name}`) to get the expression main.tf writes."""
    return BUCKET_NAME.format(name=name, purpose=purpose, account_id=account_id, region=region)


def state_bucket_name(name: str, account_id: str, region: str) -> str:
    return bucket_name(STATE_BUCKET_PURPOSE, name, account_id, region)


def state_key_alias_arn(partition: str, region: str, account_id: str, name: str) -> str:
    return STATE_KEY_ALIAS_ARN.format(partition=partition, region=region, account_id=account_id, name=name)
