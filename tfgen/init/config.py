"""The answers `tfgen init` renders from: one frozen dataclass, validated field by field.

Answers come from flags, a TOML file (`--config`), the answers saved in an earlier output's
manifest, and prompts; `build_config` merges them (flags win) and validates every field, so a
bad value fails before anything is rendered, with one line naming the field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from tfgen.errors import InvalidValueError, UsageError
from tfgen.init import facts, regions

# A `--config` file of answers is a few hundred bytes; 1 MiB holds thousands of names and keeps a
# mistaken path (a log, an image) from being read whole.
MAX_CONFIG_BYTES = 1 << 20

# Every pattern is used with `fullmatch` (`$` also matches before a final newline, so "ecs\n"
# passed `^...$`), and spells its classes in ASCII: `\w` and `\d` (and str.isdigit) accept the
# letters and digits of every script, e.g. "é" in a role name or "٣٦٥" read by int() as 365.
_ACCOUNT = re.compile(r"[0-9]{12}")
_NAME = re.compile(facts.NAME_PATTERN)  # its length limits too
# IAM role names and paths: ASCII letters, digits and +=,.@_- (and / in the path).
_ROLE_ARN = re.compile(r"arn:(aws|aws-us-gov|aws-cn):iam::([0-9]{12}):role/([A-Za-z0-9_+=,.@/-]{1,512})")
_SERVICE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_SECRET_NAME = re.compile(r"[A-Za-z0-9/_+=.@-]{1,512}")
_PARAMETER_NAME = re.compile(r"/?[A-Za-z0-9_./-]{1,1011}")
# AWS allows any script's letters and digits in tag keys; tfgen keeps keys ASCII because Terraform
# normalises strings to NFC and aligns map keys by grapheme cluster, so a non-ASCII key is not
# always written, or read back, as the bytes given. Tag values may be any printable NFC text.
_TAG_KEY = re.compile(r"[A-Za-z0-9 _.:/=+@-]{1,128}")
_STATE_KEY = re.compile(r"[A-Za-z0-9!_.*'()/-]{1,1024}")
# A number given as a string (a flag, an answer saved as text): ASCII digits, at most 9 of them,
# so int() never meets another script's digits or a 5,000-digit string (which it refuses).
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,9}")
# Control (Cc), format (Cf: bidi overrides, zero-width joiners), surrogate (Cs) and line/paragraph
# separator (Zl, Zp) characters: AWS refuses them in tags, a surrogate cannot be written as UTF-8,
# and a bidi override makes the rendered file read differently from what it holds.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_SHOWN = 80  # longest echo of a value in a message: an error stays one short line


def _show(value: Any) -> str:
    """A value as an error message may echo it: repr (one line, escapes visible), shortened."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**18:
        return "a number of more than 18 digits"  # str() of a 5,000-digit int raises ValueError
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _text_problem(value: str) -> str | None:
    for ch in value:
        if unicodedata.category(ch) in _UNPRINTABLE:
            return f"holds the control or format character U+{ord(ch):04X}; only printable text is allowed"
    if not unicodedata.is_normalized("NFC", value):
        return (
            "is not in Unicode NFC form: Terraform normalises strings to NFC, so AWS would get other characters "
            "(write it precomposed)"
        )
    return None


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
    # Off for new accounts: AWS Proton reached end of support on 2026-10-07 (`--proton-roles`).
    create_codebuild_role: bool = False
    create_pipeline_role: bool = False
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
        return {
            k: (list(v) if isinstance(v, tuple) else dict(sorted(v.items())) if isinstance(v, Mapping) else v)
            for k, v in data.items()
        }


_FIELDS = {f.name: f for f in fields(BaselineConfig)}
FIELD_NAMES: tuple[str, ...] = tuple(_FIELDS)
REQUIRED: tuple[str, ...] = ("account_id", "region", "name")
_LIST_FIELDS = {f.name for f in fields(BaselineConfig) if f.type == "tuple[str, ...]"}
_BOOL_FIELDS = {f.name for f in fields(BaselineConfig) if f.type == "bool"}
_INT_FIELDS = {f.name for f in fields(BaselineConfig) if f.type == "int"}


def _refuse_credentials(field_name: str, value: str, key: str | None = None, what: str = "value") -> None:
    from tfgen.credentials import is_placeholder, is_secret_name, looks_like_credential

    kind = looks_like_credential(value)
    if kind is None and key is not None and is_secret_name(key) and not is_placeholder(value):
        kind = f"a value under the secret-looking key {key!r}"
    if kind:
        raise InvalidValueError(
            field_name,
            f"refusing a {what} that looks like a credential ({kind}); keep secrets in Secrets Manager or SSM, "
            "never in tfgen answers",
        )


def _check_account(field_name: str, value: str) -> None:
    if not _ACCOUNT.fullmatch(value):
        raise InvalidValueError(field_name, f"{_show(value)} is not a 12-digit AWS account id")


def _check_role_arn(field_name: str, value: str, partition: str) -> None:
    match = _ROLE_ARN.fullmatch(value)
    if not match:
        raise InvalidValueError(
            field_name, f"{_show(value)} is not an IAM role ARN (arn:<partition>:iam::<account>:role/<name>)"
        )
    if match.group(1) != partition:
        raise InvalidValueError(
            field_name, f"{_show(value)} is in partition {match.group(1)}, but the region is in {partition}"
        )


def _coerce(name: str, value: Any) -> Any:
    """Type-check one raw answer (from TOML, JSON or a flag) into the dataclass's type.

    Strings are checked for credentials first, because the type errors below echo the value.
    """
    for text in [value] if isinstance(value, str) else value if isinstance(value, (list, tuple)) else []:
        if isinstance(text, str):
            _refuse_credentials(name, text)
    if name in _LIST_FIELDS:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise InvalidValueError(name, "must be a list of strings")
        return tuple(sorted(set(value)))
    if name in _BOOL_FIELDS:
        if isinstance(value, str) and value.strip().lower() in {"true", "false", "yes", "no"}:
            return value.strip().lower() in {"true", "yes"}
        if not isinstance(value, bool):
            raise InvalidValueError(name, f"must be true or false, not {_show(value)}")
        return value
    if name in _INT_FIELDS:
        if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
            return int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValueError(name, f"must be a whole number, not {_show(value)}")
        return value
    if name == "tags":
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise InvalidValueError(name, "must be a table of string keys and string values")
        return dict(sorted(value.items()))
    if not isinstance(value, str):
        raise InvalidValueError(name, f"must be a string, not {_show(value)}")
    return value.strip()


def _check_tags(tags: Mapping[str, str]) -> None:
    """Keys are checked like values, and before their name appears in any message."""
    for key in tags:
        _refuse_credentials("tags", key, what="key")
    for key in tags:
        if not _TAG_KEY.fullmatch(key) or key.lower().startswith("aws:"):
            raise InvalidValueError(
                "tags",
                f"{_show(key)} is not a tag key: 1-128 characters of A-Z a-z 0-9, space and _.:/=+@- (not starting "
                "with aws:)",
            )
    for key, value in tags.items():
        _refuse_credentials(f"tags.{key}", value, key=key)
    for key, value in tags.items():
        if len(value) > 256:
            raise InvalidValueError(f"tags.{key}", "the value is longer than 256 characters")
        problem = _text_problem(value)
        if problem:
            raise InvalidValueError(f"tags.{key}", f"the value {problem}")


def _check_region(value: str, partition: str | None) -> None:
    if regions.partition_of(value) is None:
        raise InvalidValueError("region", f"{_show(value)} is not an AWS region name (e.g. eu-west-1)")


def _check_name(value: str, partition: str | None) -> None:
    if not _NAME.fullmatch(value) or "--" in value:
        raise InvalidValueError(
            "name",
            f"{_show(value)} must be {facts.NAME_MIN_LENGTH}-{facts.NAME_MAX_LENGTH} characters of a-z, 0-9 and "
            "single hyphens, "
            "starting with a letter and not ending with a hyphen (it prefixes bucket names)",
        )


def _check_arns(field_name: str) -> Callable[[tuple[str, ...], str | None], None]:
    def check(value: tuple[str, ...], partition: str | None) -> None:
        for arn in value:
            _check_role_arn(field_name, arn, partition or "aws")

    return check


def _check_accounts(value: tuple[str, ...], partition: str | None) -> None:
    for account in value:
        _check_account("environment_account_ids", account)


def _check_log_retention(value: int, partition: str | None) -> None:
    if value not in facts.CLOUDWATCH_RETENTION_DAYS:
        raise InvalidValueError(
            "log_retention_days",
            f"{_show(value)} is not a CloudWatch Logs retention period "
            f"({', '.join(map(str, facts.CLOUDWATCH_RETENTION_DAYS))})",
        )
    if value not in facts.LOG_RETENTION_DAYS:
        raise InvalidValueError(
            "log_retention_days",
            f"{value} is below one year; audit logs are kept at least {facts.MIN_LOG_RETENTION_DAYS} days",
        )


def _check_noncurrent(value: int, partition: str | None) -> None:
    if not facts.NONCURRENT_DAYS_MIN <= value <= facts.NONCURRENT_DAYS_MAX:
        raise InvalidValueError(
            "noncurrent_version_retention_days",
            f"{_show(value)} is outside {facts.NONCURRENT_DAYS_MIN}..{facts.NONCURRENT_DAYS_MAX}",
        )


def _check_each(field_name: str, pattern: re.Pattern[str], what: str) -> Callable[[tuple[str, ...], str | None], None]:
    def check(value: tuple[str, ...], partition: str | None) -> None:
        for item in value:
            if not pattern.fullmatch(item):
                raise InvalidValueError(field_name, f"{_show(item)} is not {what}")

    return check


def _check_state_key(value: str, partition: str | None) -> None:
    if not _STATE_KEY.fullmatch(value) or value.startswith("/"):
        raise InvalidValueError("state_key", f"{_show(value)} is not a plain S3 object key")


def _no_check(value: Any, partition: str | None) -> None:
    """A boolean: `_coerce` has already made it one."""


@dataclass(frozen=True)
class Question:
    """One answer: its `--config` key (the BaselineConfig field), how init asks for it, how it is checked.

    The one definition behind the prompts, `--config` and `build_config`; the default is the
    dataclass field's. `check(value, partition)` gets the coerced value and the region's partition.
    """

    name: str
    prompt: str
    check: Callable[[Any, str | None], None]


# In the order init asks them: region before the role ARNs, whose partition it fixes.
QUESTIONS: tuple[Question, ...] = (
    Question("account_id", "AWS account id (12 digits)", lambda v, p: _check_account("account_id", v)),
    Question("region", "AWS region (e.g. eu-west-1, us-east-1)", _check_region),
    Question(
        "name",
        f"Name prefix for resources ({facts.NAME_MIN_LENGTH}-{facts.NAME_MAX_LENGTH} of a-z, 0-9, -; e.g. acme)",
        _check_name,
    ),
    Question(
        "key_administrator_arns",
        "IAM role ARNs that administer the KMS keys (comma-separated)",
        _check_arns("key_administrator_arns"),
    ),
    Question(
        "key_user_arns", "IAM role ARNs that may use the KMS keys (comma-separated)", _check_arns("key_user_arns")
    ),
    Question(
        "log_retention_days",
        f"CloudWatch Logs retention in days (>= {facts.MIN_LOG_RETENTION_DAYS})",
        _check_log_retention,
    ),
    Question(
        "noncurrent_version_retention_days",
        f"Days to keep noncurrent S3 object versions ({facts.NONCURRENT_DAYS_MIN}-{facts.NONCURRENT_DAYS_MAX})",
        _check_noncurrent,
    ),
    Question("enable_s3_data_events", "Log S3 data events on the artifacts bucket in CloudTrail?", _no_check),
    Question("create_pipeline_role", "Create the AWS Proton pipeline role (Proton is past end of support)?", _no_check),
    Question("create_codebuild_role", "Create the CodeBuild role for AWS Proton's AWSProton* projects?", _no_check),
    Question("create_component_role", "Create the AWS Proton component role?", _no_check),
    Question(
        "environment_account_ids", "Environment account ids allowed to connect (comma-separated)", _check_accounts
    ),
    Question(
        "provisioned_services",
        "Services the Proton service role may provision (comma-separated)",
        _check_each("provisioned_services", _SERVICE, "an IAM service prefix (e.g. ecs, lambda)"),
    ),
    Question(
        "secret_names",
        "Secrets Manager secrets to create (comma-separated names)",
        _check_each("secret_names", _SECRET_NAME, "a Secrets Manager secret name"),
    ),
    Question(
        "secure_parameter_names",
        "SSM SecureString parameters to create (comma-separated names)",
        _check_each("secure_parameter_names", _PARAMETER_NAME, "an SSM parameter name"),
    ),
    Question("tags", "Tags for every resource (Key=Value, comma-separated)", lambda v, p: _check_tags(v)),
    Question("state_key", "S3 key of the Terraform state object", _check_state_key),
)
QUESTION_BY_NAME: Mapping[str, Question] = {q.name: q for q in QUESTIONS}
if tuple(sorted(QUESTION_BY_NAME)) != tuple(
    sorted(FIELD_NAMES)
):  # pragma: no cover - a field added without its question
    raise RuntimeError(f"QUESTIONS and BaselineConfig differ: {sorted(set(QUESTION_BY_NAME) ^ set(FIELD_NAMES))}")
# validate()'s order: which message a config with several bad answers gets first.
_VALIDATION_ORDER: tuple[str, ...] = (
    "tags",
    "region",
    "account_id",
    "name",
    "key_administrator_arns",
    "key_user_arns",
    "environment_account_ids",
    "log_retention_days",
    "noncurrent_version_retention_days",
    "provisioned_services",
    "secret_names",
    "secure_parameter_names",
    "state_key",
)
# The proton roles a `--proton-roles` flag turns back on: the two tfgen created by default before
# AWS Proton's end of support, which estates rendered then still reference.
PROTON_ROLE_KEYS: tuple[str, ...] = ("create_pipeline_role", "create_codebuild_role")


def default_of(name: str) -> Any:
    """The answer used when none is given (the BaselineConfig field's default), or None if required."""
    spec = _FIELDS[name]
    if spec.default is not MISSING:
        return spec.default
    if spec.default_factory is not MISSING:
        return spec.default_factory()
    return None


def check_answer(name: str, raw: Any, partition: str | None) -> Any:
    """One answer (from a prompt, a flag or a file) coerced and checked as `validate` checks it."""
    value = _coerce(name, raw)
    QUESTION_BY_NAME[name].check(value, partition)
    return value


_NONE = "none"  # typed at a prompt: an empty list or table (Enter keeps the default)
_YES, _NO = frozenset({"y", "yes", "true"}), frozenset({"n", "no", "false"})


def parse_typed(name: str, text: str, partition: str | None) -> Any:
    """An answer typed at init's prompt, checked like the same key in `--config`.

    Lists are comma-separated, tags `Key=Value` pairs, booleans y/n; `none` empties a list or
    the tags (a secret literally named "none" goes in `--config`).
    """
    text = text.strip()
    raw: Any = text
    if name in _BOOL_FIELDS:
        if text.lower() not in _YES | _NO:
            raise InvalidValueError(name, "answer y or n")
        raw = text.lower() in _YES
    elif name in _LIST_FIELDS and text.lower() == _NONE:
        raw = []
    elif name == "tags":
        _refuse_credentials(name, text)  # before the message below can echo any part of it
        raw = {}
        for pair in [] if text.lower() == _NONE else text.split(","):
            key, sep, value = pair.partition("=")
            if not sep or not key.strip():
                raise InvalidValueError(
                    name, f"{_show(pair.strip())} is not Key=Value (pairs separated by commas; none for no tags)"
                )
            raw[key.strip()] = value.strip()
    return check_answer(name, raw, partition)


def shown(name: str, value: Any) -> str:
    """An answer as the prompt's default and the summary show it (what parse_typed reads back)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (tuple, list)):
        return ", ".join(value) if value else _NONE
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={v}" for k, v in sorted(value.items())) if value else _NONE
    return str(value)


def validate(config: BaselineConfig) -> BaselineConfig:
    # Credentials first: every later message may echo (a shortened repr of) the value it refuses.
    for name in FIELD_NAMES:
        value = getattr(config, name)
        for text in [value] if isinstance(value, str) else value if isinstance(value, tuple) else ():
            _refuse_credentials(name, text)
    partition = regions.partition_of(config.region)
    for name in _VALIDATION_ORDER:
        QUESTION_BY_NAME[name].check(getattr(config, name), partition)
    return config


def _setting_name(key: str) -> str:
    return key if key.isascii() and key.isidentifier() else repr(key)


def load_toml(path: Path) -> dict[str, Any]:
    """Read a `--config` file; unknown keys are errors so a typo never passes silently.

    Only a regular file of at most MAX_CONFIG_BYTES is read: a FIFO blocked forever and
    /dev/zero ran out of memory (`tfgen.safe_read`).
    """
    from tfgen.tomlfile import read_toml  # here: only --config needs tomllib (~1.5 ms to import)

    data = read_toml(path, MAX_CONFIG_BYTES, reading_as=f"--config {path}")
    unknown = sorted(set(data) - set(FIELD_NAMES))
    if unknown:
        raise UsageError(
            f"{path}: unknown setting(s) {', '.join(map(_setting_name, unknown))}; known: {', '.join(FIELD_NAMES)}"
        )
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
