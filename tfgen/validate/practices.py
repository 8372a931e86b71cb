"""Which practice each check answers to: the one table, used by every report and the README.

Every checkov id relevant to a practice maps to exactly one practice (a dict cannot say
otherwise); every other checkov id has practice `None`. tfgen's own rules carry their practice
in their id (`TFGEN_IAM_*`, ...). `python -m tfgen.validate.practices` prints the table as
Markdown for the README.
"""

from __future__ import annotations

import re
import sys

from tfgen import PRACTICES

PRACTICE_TITLES = {
    "iam": "Use IAM to control access",
    "secrets": "Do not embed credentials in templates",
    "encryption": "Use encryption to protect sensitive data",
    "audit": "Use CloudTrail to view and log API calls",
}


def _ids(prefix: str, numbers: str) -> list[str]:
    out: list[str] = []
    for part in numbers.split():
        if "-" in part:
            low, high = part.split("-")
            out.extend(f"{prefix}{n}" for n in range(int(low), int(high) + 1))
        else:
            out.append(f"{prefix}{part}")
    return out


_TABLE: dict[str, list[str]] = {
    "iam": [
        # identity policies: admin, wildcards, escalation, exposure, write without constraints
        *_ids("CKV_AWS_", "1 49 62 63 274 275 355 356 107-111 286-290"),
        # roles, trust, users
        *_ids("CKV_AWS_", "60 61 283 358 393 40 273"),
        # resource policies and public access
        *_ids("CKV_AWS_", "33 20 53-57 70 93 32 72 167 168 169 301 387"),
        *_ids("CKV2_AWS_", "40 56 22 64 6 43 65"),
    ],
    "secrets": [
        *_ids("CKV_AWS_", "41 45 46 348 304"),
        *_ids("CKV2_AWS_", "36 57"),
        *_ids("CKV_SECRET_", "1-9 11-19"),
    ],
    "encryption": [
        # customer managed keys for data at rest
        *_ids("CKV_AWS_", "7 227 19 145 186 294 149 337 158 26 27 119 136 184 189 327"),
        *_ids("CKV_AWS_", "147 166 181 185 191 241 247"),
        # TLS
        *_ids("CKV_AWS_", "379"),
        *_ids("CKV2_AWS_", "34 73"),
    ],
    "audit": [
        *_ids("CKV_AWS_", "67 36 35 252 251"),
        *_ids("CKV2_AWS_", "10"),
    ],
}

CHECKOV_PRACTICE: dict[str, str] = {}
for _practice, _checks in _TABLE.items():
    for _check in _checks:
        if _check in CHECKOV_PRACTICE:  # a table edit must never give an id two practices
            raise AssertionError(f"{_check} is listed under {CHECKOV_PRACTICE[_check]} and {_practice}")
        CHECKOV_PRACTICE[_check] = _practice

_TFGEN_PREFIX = {"TFGEN_IAM_": "iam", "TFGEN_SECRETS_": "secrets", "TFGEN_ENC_": "encryption", "TFGEN_AUDIT_": "audit"}


def practice_of(check_id: str) -> str | None:
    """The practice a finding with this id belongs to, or None."""
    if check_id in CHECKOV_PRACTICE:
        return CHECKOV_PRACTICE[check_id]
    for prefix, practice in _TFGEN_PREFIX.items():
        if check_id.startswith(prefix):
            return practice
    return None


def markdown_table() -> str:
    """The README's table: practice, tfgen rules, checkov ids."""
    from tfgen.validate.checkov_catalog import CHECKOV_CHECKS
    from tfgen.validate.rules import all_rules

    def order(check: str) -> tuple[str, int]:
        match = re.match(r"(.*?)(\d+)$", check)
        return (match.group(1), int(match.group(2))) if match else (check, 0)

    rules = all_rules()
    lines = ["| practice | tfgen rules | checkov checks |", "|---|---|---|"]
    for practice in PRACTICES:
        own = ", ".join(f"`{r}`" for r in sorted(rules, key=order) if rules[r].practice == practice)
        theirs = ", ".join(f"`{c}`" for c in sorted(CHECKOV_PRACTICE, key=order) if CHECKOV_PRACTICE[c] == practice and c in CHECKOV_CHECKS)
        lines.append(f"| `{practice}` ({PRACTICE_TITLES[practice]}) | {own} | {theirs} |")
    lines.append("")
    lines.append("Every other checkov id is reported with practice `null`.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown_table())
