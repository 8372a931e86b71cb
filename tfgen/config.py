"""The answers `tfgen init` renders from: one frozen dataclass, validated field by field.

Answers come from flags, a TOML file (`--config`), the answers saved in an earlier output's
manifest, and prompts; `build_config` merges them (flags win) and validates every field, so a
bad value fails before anything is rendered, with one line naming the field.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from tfgen import regions
from tfgen.errors import InvalidValueError, UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# CloudWatch Logs accepts only these retention periods.
LOG_RETENTION_DAYS: tuple[int, ...] = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
)
# The longest bucket name is "<name>-access-logs-<account>-<region>"; S3 allows 63 characters.
MAX_NAME_LENGTH = 16

_ACCOUNT = re.compile(r"^[0-9]{12}$")
_NAME = re.compile(r"^[a-z][a-z0-9-]*[a-z0-9]$")
_ROLE_ARN = re.compile(r"^arn:(aws|aws-us-gov|aws-cn):iam::([0-9]{12}):role/([\w+=,.@/-]{1,512})$")
_SERVICE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_SECRET_NAME = re.compile(r"^[A-Za-z0-9/_+=.@-]{1,512}$")
_PARAMETER_NAME = re.compile(r"^/?[A-Za-z0-9_.\-/]{1,1011}$")
_TAG_KEY = re.compile(r"^[\w .:/=+@-]{1,128}$", re.UNICODE)
_STATE_KEY = re.compile(r"^[A-Za-z0-9!_.*'()/-]{1,1024}$")


@dataclass(frozen=True)
class BaselineConfig:
    account_id: str
    region: str
    name: str
    key_administrator_arns: tuple[str, ...] = ()
    key_user_arns: tuple[str, ...] = ()
    log_retention_days: int = 365
    noncurrent_version_retention_days: int = 365
    enable_s3_data_events: bool = False
    create_codebuild_role: bool = True
    create_pipeline_role: bool = True
    create_component_role: bool = False
    environment_account_ids: tuple[str, ...] = ()
    provisioned_services: tuple[str, ...] = ("ecs", "logs")
    secret_names: tuple[str, ...] = ("proton/repository-token",)
    secure_parameter_names: tuple[str, ...] = ()
    tags: Mapping[str, str] = field(default_factory=dict)
    state_key: str = "baseline/terraform.tfstate"

    @property
    def partition(self) -> str:
        return regions.partition_of(self.region) or "aws"

    def to_mapping(self) -> dict[str, Any]:
        """JSON/TOML-ready answers, as saved in the manifest (tuples become lists)."""
        data = asdict(self)
        return {k: (list(v) if isinstance(v, tuple) else dict(sorted(v.items())) if isinstance(v, Mapping) else v) for k, v in data.items()}


FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(BaselineConfig))
REQUIRED: tuple[str, ...] = ("account_id", "region", "name")
_LIST_FIELDS = {f.name for f in fields(BaselineConfig) if f.type == "tuple[str, ...]"}
_BOOL_FIELDS = {f.name for f in fields(BaselineConfig) if f.type == "bool"}
_INT_FIELDS = {f.name for f in fields(BaselineConfig) if f.type == "int"}


def _refuse_credentials(field_name: str, value: str, key: str | None = None) -> None:
    from tfgen.credentials import is_placeholder, is_secret_name, looks_like_credential

    kind = looks_like_credential(value)
    if kind is None and key is not None and is_secret_name(key) and not is_placeholder(value):
        kind = f"a value under the secret-looking key {key!r}"
    if kind:
        raise InvalidValueError(field_name, f"refusing a value that looks like a credential ({kind}); keep secrets in Secrets Manager or SSM, never in tfgen answers")


def _check_account(field_name: str, value: str) -> None:
    if not _ACCOUNT.match(value):
        raise InvalidValueError(field_name, f"{value!r} is not a 12-digit AWS account id")


def _check_role_arn(field_name: str, value: str, partition: str) -> None:
    match = _ROLE_ARN.match(value)
    if not match:
        raise InvalidValueError(field_name, f"{value!r} is not an IAM role ARN (arn:<partition>:iam::<account>:role/<name>)")
    if match.group(1) != partition:
        raise InvalidValueError(field_name, f"{value!r} is in partition {match.group(1)}, but the region is in {partition}")


def _coerce(name: str, value: Any) -> Any:
    """Type-check one raw answer (from TOML, JSON or a flag) into the dataclass's type."""
    if name in _LIST_FIELDS:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise InvalidValueError(name, "must be a list of strings")
        return tuple(sorted(set(value)))
    if name in _BOOL_FIELDS:
        if isinstance(value, str) and value.lower() in {"true", "false", "yes", "no"}:
            return value.lower() in {"true", "yes"}
        if not isinstance(value, bool):
            raise InvalidValueError(name, f"must be true or false, not {value!r}")
        return value
    if name in _INT_FIELDS:
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValueError(name, f"must be a whole number, not {value!r}")
        return value
    if name == "tags":
        if not isinstance(value, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise InvalidValueError(name, "must be a table of string keys and string values")
        return dict(sorted(value.items()))
    if not isinstance(value, str):
        raise InvalidValueError(name, f"must be a string, not {value!r}")
    return value.strip()


def validate(config: BaselineConfig) -> BaselineConfig:
    partition = regions.partition_of(config.region)
    if partition is None:
        raise InvalidValueError("region", f"{config.region!r} is not an AWS region name (e.g. eu-west-1)")
    _check_account("account_id", config.account_id)
    if not (3 <= len(config.name) <= MAX_NAME_LENGTH) or not _NAME.match(config.name) or "--" in config.name:
        raise InvalidValueError(
            "name",
            f"{config.name!r} must be 3-{MAX_NAME_LENGTH} characters of a-z, 0-9 and single hyphens, "
            "starting with a letter and not ending with a hyphen (it prefixes bucket names)",
        )
    for name in ("key_administrator_arns", "key_user_arns"):
        for arn in getattr(config, name):
            _check_role_arn(name, arn, partition)
    for account in config.environment_account_ids:
        _check_account("environment_account_ids", account)
    if config.log_retention_days not in LOG_RETENTION_DAYS:
        raise InvalidValueError("log_retention_days", f"{config.log_retention_days} is not a CloudWatch Logs retention period ({', '.join(map(str, LOG_RETENTION_DAYS))})")
    if config.log_retention_days < 365:
        raise InvalidValueError("log_retention_days", f"{config.log_retention_days} is below one year; audit logs are kept at least 365 days")
    if not 1 <= config.noncurrent_version_retention_days <= 3650:
        raise InvalidValueError("noncurrent_version_retention_days", f"{config.noncurrent_version_retention_days} is outside 1..3650")
    for service in config.provisioned_services:
        if not _SERVICE.match(service):
            raise InvalidValueError("provisioned_services", f"{service!r} is not an IAM service prefix (e.g. ecs, lambda)")
    for secret in config.secret_names:
        if not _SECRET_NAME.match(secret):
            raise InvalidValueError("secret_names", f"{secret!r} is not a Secrets Manager secret name")
    for parameter in config.secure_parameter_names:
        if not _PARAMETER_NAME.match(parameter):
            raise InvalidValueError("secure_parameter_names", f"{parameter!r} is not an SSM parameter name")
    for key, value in config.tags.items():
        if not _TAG_KEY.match(key) or key.lower().startswith("aws:"):
            raise InvalidValueError("tags", f"{key!r} is not a valid tag key")
        if len(value) > 256:
            raise InvalidValueError("tags", f"the value of {key!r} is longer than 256 characters")
    if not _STATE_KEY.match(config.state_key) or config.state_key.startswith("/"):
        raise InvalidValueError("state_key", f"{config.state_key!r} is not a plain S3 object key")
    for name in FIELD_NAMES:
        value = getattr(config, name)
        if isinstance(value, str):
            _refuse_credentials(name, value)
        elif isinstance(value, tuple):
            for item in value:
                _refuse_credentials(name, item)
    for key, value in config.tags.items():
        _refuse_credentials(f"tags.{key}", value, key=key)
    return config


def load_toml(path: Path) -> dict[str, Any]:
    """Read a `--config` file; unknown keys are errors so a typo never passes silently."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"--config {path}: cannot read: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UsageError(f"{path}:{line}: not valid UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}") from None
    unknown = sorted(set(data) - set(FIELD_NAMES))
    if unknown:
        raise UsageError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(FIELD_NAMES)}")
    return data


def build_config(*layers: Mapping[str, Any]) -> BaselineConfig:
    """Merge answer layers (later wins; None means "not given") and validate the result."""
    merged: dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            if value is None:
                continue
            if key not in FIELD_NAMES:
                raise UsageError(f"unknown setting {key!r}")
            merged[key] = _coerce(key, value)
    missing = [name for name in REQUIRED if not merged.get(name)]
    if missing:
        flags = ", ".join("--" + name.replace("_", "-") for name in missing)
        raise UsageError(f"missing required answer(s): {flags}")
    return validate(BaselineConfig(**merged))
