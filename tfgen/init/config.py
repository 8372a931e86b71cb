"""The answers `tfgen init` renders from: one frozen dataclass, validated field by field.

Answers come from flags, a TOML file (`--config`), the answers saved in an earlier output's
manifest, and prompts; `build_config` merges them (flags win) and validates every field, so a
bad value fails before anything is rendered, with one line naming the field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING, Field, asdict, dataclass, field, fields
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
_EMAIL = re.compile(facts.EMAIL_PATTERN)
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
    if name in _TABLE_FIELDS:
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


def _check_regions(value: tuple[str, ...], partition: str | None) -> None:
    for region in value:
        found = regions.partition_of(region)
        if found is None:
            raise InvalidValueError("regions", f"{_show(region)} is not an AWS region name (e.g. eu-west-1)")
        if partition is not None and found != partition:
            raise InvalidValueError(
                "regions", f"{region} is in partition {found}, but the home region is in {partition}"
            )


def _check_email(value: str, partition: str | None) -> None:
    if value and not _EMAIL.fullmatch(value):
        raise InvalidValueError("alarm_email", f"{_show(value)} is not an email address")


def _no_check(value: Any, partition: str | None) -> None:
    """A boolean: `_coerce` has already made it one."""


Check = Callable[[Any, str | None], None]


def answer(
    prompt: str,
    check: Check,
    *,
    default: Any = MISSING,
    factory: Callable[[], Any] | None = None,
    flag: bool = False,
) -> Any:
    """A `BaselineConfig` field that is an answer: how init asks for it and how it is checked.

    `flag`: `tfgen init` takes it as an option too (`Question.flag`).
    """
    meta = {"prompt": prompt, "check": check, "flag": flag}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class BaselineConfig:
    """The answers `tfgen init` renders from. Each field is one answer, declared once: its name is
    the `--config` (TOML) key, its annotation the type, its default the default (none: required),
    and `answer(prompt, check)` how init asks for it and checks it (`QUESTIONS`). Fields are in the
    order init asks them (region before the role ARNs, whose partition it fixes) and the manifest
    records them."""

    account_id: str = answer("AWS account id (12 digits)", lambda v, p: _check_account("account_id", v))
    region: str = answer("AWS region (e.g. eu-west-1, us-east-1)", _check_region)
    name: str = answer(
        f"Name prefix for resources ({facts.NAME_MIN_LENGTH}-{facts.NAME_MAX_LENGTH} of a-z, 0-9, -; e.g. acme)",
        _check_name,
    )
    key_administrator_arns: tuple[str, ...] = answer(
        "IAM role ARNs that administer the KMS keys (comma-separated)",
        _check_arns("key_administrator_arns"),
        default=(),
    )
    key_user_arns: tuple[str, ...] = answer(
        "IAM role ARNs that may use the KMS keys (comma-separated)", _check_arns("key_user_arns"), default=()
    )
    log_retention_days: int = answer(
        f"CloudWatch Logs retention in days (>= {facts.MIN_LOG_RETENTION_DAYS})", _check_log_retention, default=365
    )
    noncurrent_version_retention_days: int = answer(
        f"Days to keep noncurrent S3 object versions ({facts.NONCURRENT_DAYS_MIN}-{facts.NONCURRENT_DAYS_MAX})",
        _check_noncurrent,
        default=365,
    )
    enable_s3_data_events: bool = answer(
        "Log S3 data events on the artifacts bucket in CloudTrail?", _no_check, default=False
    )
    # Off for new accounts: AWS Proton reached end of support on 2026-10-07 (`--proton-roles`).
    create_codebuild_role: bool = answer(
        "Create the CodeBuild role for AWS Proton's AWSProton* projects?", _no_check, default=False
    )
    create_pipeline_role: bool = answer(
        "Create the AWS Proton pipeline role (Proton is past end of support)?", _no_check, default=False
    )
    create_component_role: bool = answer("Create the AWS Proton component role?", _no_check, default=False)
    environment_account_ids: tuple[str, ...] = answer(
        "Environment account ids allowed to connect (comma-separated)", _check_accounts, default=()
    )
    provisioned_services: tuple[str, ...] = answer(
        "Services the Proton service role may provision (comma-separated)",
        _check_each("provisioned_services", _SERVICE, "an IAM service prefix (e.g. ecs, lambda)"),
        default=("ecs", "logs"),
    )
    secret_names: tuple[str, ...] = answer(
        "Secrets Manager secrets to create (comma-separated names)",
        _check_each("secret_names", _SECRET_NAME, "a Secrets Manager secret name"),
        default=("proton/repository-token",),
    )
    secure_parameter_names: tuple[str, ...] = answer(
        "SSM SecureString parameters to create (comma-separated names)",
        _check_each("secure_parameter_names", _PARAMETER_NAME, "an SSM parameter name"),
        default=(),
    )
    tags: Mapping[str, str] = answer(
        "Tags for every resource (Key=Value, comma-separated)", lambda v, p: _check_tags(v), factory=dict
    )
    state_key: str = answer(
        "S3 key of the Terraform state object", _check_state_key, default="baseline/terraform.tfstate"
    )
    # The account baseline a security review expects (CIS AWS Foundations): the regional services
    # run in every region of `regions` (the home region always among them); each can be turned off.
    regions: tuple[str, ...] = answer(
        "Regions for Access Analyzer, Config, GuardDuty, Security Hub and EBS encryption (comma-separated; the "
        "home region is always one)",
        _check_regions,
        default=(),
        flag=True,
    )
    access_analyzer: bool = answer(
        "Create an IAM Access Analyzer in every region (CIS 1.20)?", _no_check, default=True, flag=True
    )
    config_recorder: bool = answer(
        "Record resources with AWS Config in every region (CIS 3.3)?", _no_check, default=True, flag=True
    )
    guardduty: bool = answer("Enable GuardDuty in every region?", _no_check, default=True, flag=True)
    security_hub: bool = answer(
        "Enable Security Hub with the CIS v3.0.0 standard in every region (CIS 4.16)?",
        _no_check,
        default=True,
        flag=True,
    )
    cis_alarms: bool = answer(
        "Create the CIS metric filters and alarms on the trail's log group (CIS 4.1-4.15)?",
        _no_check,
        default=True,
        flag=True,
    )
    alarm_email: str = answer("Email address for the CIS alarms (empty for none)", _check_email, default="", flag=True)

    @property
    def partition(self) -> str:
        return regions.partition_of(self.region) or "aws"

    @property
    def all_regions(self) -> tuple[str, ...]:
        """The regions the regional services run in: the home region first, then the others sorted."""
        return (self.region, *sorted(set(self.regions) - {self.region}))

    def to_mapping(self) -> dict[str, Any]:
        """JSON/TOML-ready answers, as saved in the manifest (tuples become lists)."""
        data = asdict(self)
        return {
            k: (list(v) if isinstance(v, tuple) else dict(sorted(v.items())) if isinstance(v, Mapping) else v)
            for k, v in data.items()
        }


@dataclass(frozen=True)
class Question:
    """One answer as the prompts, `--config` and `build_config` read it, from its `BaselineConfig` field.

    `name`: the `--config` (TOML) key; `type`: the field's annotation (`str`, `int`, `bool`,
    `tuple[str, ...]` for a list, `Mapping[str, str]` for a table); `default`: None when required;
    `check(value, partition)` gets the coerced value and the region's partition; `flag`: `tfgen
    init` takes the answer as `option` too (a boolean as `--<name>/--no-<name>`, text as the prompt
    reads it, `from_flag`).
    """

    name: str
    type: str
    default: Any
    prompt: str
    check: Check
    flag: bool = False

    @property
    def option(self) -> str:
        """The answer's `tfgen init` option: `--alarm-email` for `alarm_email`."""
        return "--" + self.name.replace("_", "-")

    @property
    def required(self) -> bool:
        return self.default is None


def _question(spec: Field[Any]) -> Question:
    default = (
        spec.default
        if spec.default is not MISSING
        else spec.default_factory()
        if spec.default_factory is not MISSING
        else None
    )
    return Question(
        spec.name, str(spec.type), default, spec.metadata["prompt"], spec.metadata["check"], spec.metadata["flag"]
    )


QUESTIONS: tuple[Question, ...] = tuple(_question(spec) for spec in fields(BaselineConfig))
QUESTION_BY_NAME: Mapping[str, Question] = {q.name: q for q in QUESTIONS}
FIELD_NAMES: tuple[str, ...] = tuple(QUESTION_BY_NAME)
REQUIRED: tuple[str, ...] = tuple(q.name for q in QUESTIONS if q.required)
FLAGGED: tuple[Question, ...] = tuple(q for q in QUESTIONS if q.flag)
_LIST_FIELDS = {q.name for q in QUESTIONS if q.type == "tuple[str, ...]"}
_BOOL_FIELDS = {q.name for q in QUESTIONS if q.type == "bool"}
_INT_FIELDS = {q.name for q in QUESTIONS if q.type == "int"}
_TABLE_FIELDS = {q.name for q in QUESTIONS if q.type == "Mapping[str, str]"}


# The proton roles a `--proton-roles` flag turns back on: the two tfgen created by default before
# AWS Proton's end of support, which estates rendered then still reference.
PROTON_ROLE_KEYS: tuple[str, ...] = ("create_pipeline_role", "create_codebuild_role")


def default_of(name: str) -> Any:
    """The answer used when none is given (the BaselineConfig field's default), or None if required."""
    default = QUESTION_BY_NAME[name].default
    return dict(default) if isinstance(default, Mapping) else default  # a fresh table each time


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
    return check_answer(name, _typed_raw(name, text), partition)


def from_flag(name: str, value: str | bool) -> Any:
    """An answer given as `tfgen init`'s flag, read as the prompt reads it (a list comma-separated,
    `none` for an empty one), unchecked: `build_config` checks it as it checks the `--config` key."""
    return value if isinstance(value, bool) else _typed_raw(name, value)


def _typed_raw(name: str, text: str) -> Any:
    text = text.strip()
    raw: Any = text
    if name in _BOOL_FIELDS:
        if text.lower() not in _YES | _NO:
            raise InvalidValueError(name, "answer y or n")
        raw = text.lower() in _YES
    elif name in _LIST_FIELDS and text.lower() == _NONE:
        raw = []
    elif name in _TABLE_FIELDS:
        _refuse_credentials(name, text)  # before the message below can echo any part of it
        raw = {}
        for pair in [] if text.lower() == _NONE else text.split(","):
            key, sep, value = pair.partition("=")
            if not sep or not key.strip():
                raise InvalidValueError(
                    name, f"{_show(pair.strip())} is not Key=Value (pairs separated by commas; none for no tags)"
                )
            raw[key.strip()] = value.strip()
    return raw


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
    # Credentials first: every later message may echo (a shortened repr of) the value it refuses;
    # then the tags, whose check refuses a credential in a key before any message names a key.
    for name in FIELD_NAMES:
        value = getattr(config, name)
        for text in [value] if isinstance(value, str) else value if isinstance(value, tuple) else ():
            _refuse_credentials(name, text)
    _check_tags(config.tags)
    partition = regions.partition_of(config.region)
    for question in QUESTIONS:
        question.check(getattr(config, question.name), partition)
    return config


def _setting_name(key: str) -> str:
    return key if key.isascii() and key.isidentifier() else repr(key)


@dataclass(frozen=True)
class AnswersFile:
    """A `--config` file's answers, and where each is written (`file:line`, or `file`), for its errors."""

    answers: dict[str, Any]
    places: dict[str, str]


def load_toml(path: Path) -> AnswersFile:
    """Read a `--config` file; unknown keys are errors so a typo never passes silently.

    Only a regular file of at most MAX_CONFIG_BYTES is read: a FIFO blocked forever and
    /dev/zero ran out of memory (`tfgen.safe_read`).
    """
    from tfgen.tomlfile import key_line, read_toml_text  # here: only --config needs tomllib (~1.5 ms to import)

    data, text = read_toml_text(path, MAX_CONFIG_BYTES, reading_as=f"--config {path}")
    unknown = sorted(set(data) - set(FIELD_NAMES))
    if unknown:
        raise UsageError(
            f"{path}: unknown setting(s) {', '.join(map(_setting_name, unknown))}; known: {', '.join(FIELD_NAMES)}"
        )
    places = {key: f"{path}:{line}" if (line := key_line(text, (key,))) is not None else str(path) for key in data}
    return AnswersFile(data, places)


def build_config(*layers: Mapping[str, Any], sources: Sequence[str | Mapping[str, str] | None] = ()) -> BaselineConfig:
    """Merge answer layers (later wins; None means "not given") and validate the result.

    `sources[i]` names layer i in the errors its answers cause (e.g. `OUT/.tfgen/manifest.json:
    inputs`), or each of its answers (`AnswersFile.places`: `answers.toml:3`); a layer without one
    (the flags) is not named.
    """
    merged: dict[str, Any] = {}
    origin: dict[str, str | None] = {}
    for n, layer in enumerate(layers):
        named = sources[n] if n < len(sources) else None
        for key, value in layer.items():
            if value is None:
                continue
            source = named.get(key) if isinstance(named, Mapping) else named
            try:
                if key not in FIELD_NAMES:
                    raise UsageError(f"unknown setting {key!r}")
                merged[key] = _coerce(key, value)
            except UsageError as exc:
                raise _named(source, exc) from None
            origin[key] = source
    missing = [name for name in REQUIRED if not merged.get(name)]
    if missing:
        flags = ", ".join("--" + name.replace("_", "-") for name in missing)
        raise UsageError(f"missing required answer(s): {flags}")
    try:
        return validate(BaselineConfig(**merged))
    except InvalidValueError as exc:
        raise _named(origin.get(exc.field.split(".")[0]), exc) from None


def _named(source: str | None, exc: UsageError) -> UsageError:
    """`exc` with the answers' source in front of its message, or as it is when the source has no name."""
    return UsageError(f"{source}: {exc}") if source else exc
