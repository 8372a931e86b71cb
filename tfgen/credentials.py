"""What a credential looks like: by its format, and by the name it is stored under.

Shared by `tfgen init` (which refuses credential-looking answers) and by `tfgen validate`'s
`secrets` rules (which report literal credentials in Terraform). Format patterns are meant
to be precise: a hit is almost certainly a real secret. Name-based detection is a separate,
broader question ("is this argument meant to hold a secret?") that callers combine with
"is its value a literal?".
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

__all__ = [
    "CredentialMatch",
    "find_credentials",
    "is_placeholder",
    "is_secret_name",
    "looks_like_credential",
    "name_tokens",
]


@dataclass(frozen=True)
class CredentialMatch:
    kind: str  # e.g. "AWS access key id"
    start: int  # offset in the searched text
    end: int


# (kind, pattern). Each pattern is anchored on both sides so it does not fire inside longer
# identifiers; the order decides which kind is reported when two overlap.
_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("private key (PEM)", r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
        (
            "AWS access key id",
            r"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Z0-9])",
        ),
        ("GitHub token", r"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,255}(?![A-Za-z0-9_])"),
        ("GitHub fine-grained token", r"(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{60,255}"),
        ("GitLab token", r"(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,}"),
        ("Slack token", r"(?<![A-Za-z0-9-])xox[abposr]-(?:[0-9]+-)+[A-Za-z0-9-]{8,}"),
        ("Slack webhook URL", r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{16,}"),
        ("Stripe live key", r"(?<![A-Za-z0-9_])(?:sk|rk)_live_[A-Za-z0-9]{20,}"),
        ("Google API key", r"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])"),
        (
            "OpenAI API key",
            r"(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}",
        ),
        ("Anthropic API key", r"(?<![A-Za-z0-9_-])sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,}"),
        ("npm token", r"(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])"),
        ("PyPI token", r"(?<![A-Za-z0-9_-])pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}"),
        ("SendGrid API key", r"(?<![A-Za-z0-9_])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}"),
        ("Twilio API key", r"(?<![A-Za-z0-9])SK[0-9a-f]{32}(?![0-9a-fA-F])"),
        ("JSON web token", r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"),
        ("password in a URL", r"\b[a-z][a-z0-9+.-]{1,20}://[^/\s:@\"'$]{1,64}:[^/\s@\"'$]{1,128}@[A-Za-z0-9.-]+"),
    )
)

# An AWS secret access key has no prefix; only a whole value (or a whole quoted string in
# text) of exactly 40 base64 characters that mixes cases and digits counts.
_AWS_SECRET = re.compile(r"[A-Za-z0-9/+]{40}")
_QUOTED_AWS_SECRET = re.compile(r"(?<=[\"'])[A-Za-z0-9/+]{40}(?=[\"'])")


def _is_aws_secret_shape(token: str) -> bool:
    if not _AWS_SECRET.fullmatch(token):
        return False
    if re.fullmatch(r"[0-9a-fA-F]+", token):  # a SHA-1 or other hex digest
        return False
    classes = sum(bool(re.search(p, token)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]"))
    # Words (`ProvisionEC2InstancesForManagedInstances`, a statement id) hold one digit or none; a
    # random key of 40 base64 characters holds fewer than two of [0-9/+] with probability 0.26%
    # (binomial, 12 of 64 characters, 40 draws).
    others = sum(c.isdigit() or c in "/+" for c in token)
    return classes == 3 and token.count("/") < 4 and others >= 2


def find_credentials(text: str) -> list[CredentialMatch]:
    """Every credential-looking span in `text` (a value, or a whole file's text)."""
    found: list[CredentialMatch] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _FORMATS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            found.append(CredentialMatch(kind, match.start(), match.end()))
            taken.append((match.start(), match.end()))
    candidates = (
        [(0, len(text))]
        if _AWS_SECRET.fullmatch(text)
        else [(m.start(), m.end()) for m in _QUOTED_AWS_SECRET.finditer(text)]
    )
    for start, end in candidates:
        if _is_aws_secret_shape(text[start:end]) and not any(s < end and start < e for s, e in taken):
            found.append(CredentialMatch("AWS secret access key", start, end))
    found.sort(key=lambda m: m.start)
    return found


def looks_like_credential(value: str) -> str | None:
    """The kind of credential `value` contains ("AWS access key id", ...), or None."""
    matches = find_credentials(value)
    return matches[0].kind if matches else None


# --- names ---------------------------------------------------------------------------

_SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "passphrase",
        "secret",
        "token",
        "apikey",
        "credential",
        "credentials",
        "creds",
        "privatekey",
        "secretkey",
        "accesskey",
        "clientsecret",
        "authtoken",
    }
)
_SECRET_PAIRS = frozenset(
    {
        ("api", "key"),
        ("private", "key"),
        ("access", "key"),
        ("secret", "key"),
        ("signing", "key"),
        ("auth", "key"),
        ("client", "secret"),
        ("master", "key"),
        ("shared", "key"),
        ("connection", "string"),
    }
)
# A name ending in one of these describes a secret (its id, length, rotation...), not its value.
_METADATA_SUFFIXES = frozenset(
    {
        "arn",
        "arns",
        "id",
        "ids",
        "name",
        "names",
        "type",
        "types",
        "length",
        "version",
        "versions",
        "ttl",
        "enabled",
        "policy",
        "policies",
        "count",
        "path",
        "paths",
        "url",
        "uri",
        "urls",
        "endpoint",
        "rotation",
        "days",
        "window",
        "required",
        "description",
        "file",
        "filename",
        "location",
        "ref",
        "prefix",
        "suffix",
        "sufix",  # as misspelt in aws-samples/terraform-aws-windows-workloads-on-aws (docs/accuracy.md)
        "kms",
        "mode",
        "format",
        "reset",
        "expiry",
        "expiration",
        "period",
        "reuse",
        "age",
        "source",
        "sources",
        "header",
        "units",
        "validity",
        "duration",
        "role",
        "roles",
        "status",
        "recovery",
        "schedule",
        "lambda",
        "tags",
        "label",
        "labels",
        "parameter",
        "parameters",
        "template",
        "field",
        "fields",
        "variable",
        "variables",
        "hash",
        "sha",
        "algorithm",
        "strategy",
        "set",
        "spec",
        "specs",
        "usage",
        "size",
        "bits",
        "store",
        "origin",
        "state",
        "provider",
        "config",
        "configuration",
        # a password's rotation schedule expression and the special characters a generator may use
        # (`*_password_rotation_schedule_expression`, `random_password_override_special`; docs/accuracy.md)
        "expression",
        "expressions",
        "special",
        "characters",
        "chars",
        "charset",
    }
)
_METADATA_PREFIXES = frozenset(
    {
        "min",
        "max",
        "minimum",
        "maximum",
        "require",
        "requires",
        "allow",
        "allows",
        "enable",
        "enabled",
        "disable",
        "manage",
        "create",
        "generate",
        "use",
        "include",
        "exclude",
        "is",
        "has",
        "hard",
        "num",
        "number",
        "retrieve",
        "rotate",
        "recovery",
        "skip",
    }
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def name_tokens(name: str) -> list[str]:
    """`dbMasterPassword` / `DB_MASTER_PASSWORD` / `db-master-password` -> ["db", "master", "password"]."""
    spaced = _CAMEL.sub("_", name)
    return [t for t in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if t]


def is_secret_name(name: str) -> bool:
    """Is an argument, key, variable or parameter with this name meant to hold a secret value?"""
    tokens = name_tokens(name)
    if not tokens:
        return False
    if tokens[-1] in _METADATA_SUFFIXES or tokens[0] in _METADATA_PREFIXES:
        return False
    if len(tokens) >= 2 and (tokens[-2], tokens[-1]) in {("key", "id"), ("secret", "id")}:
        return False
    joined = "".join(tokens)
    if joined in _SECRET_WORDS:
        return True
    if any(t in _SECRET_WORDS for t in tokens):
        return True
    return any(pair in _SECRET_PAIRS for pair in itertools.pairwise(tokens))


_REFERENCE_VALUE = re.compile(
    r"^(?:arn:|/|alias/|ssm:|secretsmanager:|\{\{resolve:|<[^<>]*>$|\$\{|\$\(|method\.request\.)"
)


def is_placeholder(value: str) -> bool:
    """A value that names where a secret lives (an ARN, an SSM path) or marks one to fill in.

    Such values under a secret-looking name are not literal credentials.
    """
    stripped = value.strip()
    return not stripped or bool(_REFERENCE_VALUE.match(stripped))
