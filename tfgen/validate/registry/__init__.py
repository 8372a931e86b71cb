"""The one registry of checks: every id a report can hold, and everything known about it.

Three sources, one shape (`Check`):
- tfgen's rules (`tfgen.validate.rules`: each `Rule` holds its id, practice, severity, title,
  why, fix and example);
- tfgen's own findings about the run itself (`TFGEN_SYNTAX`, `TFGEN_READ`, `TFGEN_INTERNAL`,
  `TFGEN_SKIP_REASON`), declared below;
- checkov's checks, from `tfgen/checkov/data/catalogue.json`, generated from checkov's own metadata by
  `generate_catalogue.py` beside it (practice and severity derived there from checkov's category; see its
  docstring for the rules and the overrides).

Everything else is derived from here: the practice of every finding, the ids `--check` and
`--skip-check` accept, SARIF's rule help and severity, the text report's fix, and (`render`)
docs/checks.md's two tables (`python -m tfgen.validate.registry --write-docs`) and `tfgen list-checks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from tfgen import PRACTICES
from tfgen.checkov.catalogue import checkov_data, checkov_entities  # noqa: F401  (re-exported: the registry is their face to validate)

# Imports nothing else of tfgen.validate at module level: the report model imports the ids below.

SEVERITIES: tuple[str, ...] = ("low", "medium", "high", "critical")

SYNTAX = "TFGEN_SYNTAX"
READ = "TFGEN_READ"
INTERNAL = "TFGEN_INTERNAL"
SKIP_REASON = "TFGEN_SKIP_REASON"
# A failed finding with one of these ids says tfgen could not evaluate something (a file that does
# not parse or cannot be read, a module its rules could not finish): the summary's `errors`, an
# `<error>` in JUnit rather than a `<failure>`, failing the run at any --fail-on, and never
# selected, skipped or baselined away (an unreadable tree never passes).
UNEVALUATED = frozenset({SYNTAX, READ, INTERNAL})

CHECKOV_POLICY_INDEX = "https://www.checkov.io/5.Policy%20Index/terraform.html"

PRACTICE_TITLES = {
    "iam": "Use IAM to control access",
    "secrets": "Do not embed credentials in templates",
    "encryption": "Use encryption to protect sensitive data",
    "audit": "Use CloudTrail to view and log API calls",
}

# SARIF `properties.security-severity` (GitHub code scanning: >= 9.0 critical, >= 7.0 high,
# >= 4.0 medium, else low) and `level`, from a check's severity.
SECURITY_SEVERITY = {"low": "3.0", "medium": "5.5", "high": "8.0", "critical": "9.5"}
SARIF_LEVEL = {"low": "note", "medium": "warning", "high": "error", "critical": "error"}


@dataclass(frozen=True)
class Check:
    id: str
    engine: str  # "tfgen" or "checkov"
    practice: str | None
    severity: str
    title: str
    why: str
    fix: str
    example: str = ""
    url: str | None = None  # where to read more about this check itself

    @property
    def remediation(self) -> str:
        """How to fix it; for a checkov check with no plain fix, where its check says what it inspects."""
        return self.fix or f"See what the check inspects: {self.url or CHECKOV_POLICY_INDEX}"

    @property
    def help(self) -> str:
        """The text report's "how to fix" and SARIF's help text (why it matters, what to change)."""
        return self.why

    @property
    def help_markdown(self) -> str:
        """SARIF's help in Markdown: the title, why, and the example as a code block."""
        text = f"**{self.title}**\n\n{self.why}"
        return text + (f"\n\nExample:\n\n```hcl\n{self.example}\n```" if self.example else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "engine": self.engine,
            "practice": self.practice,
            "severity": self.severity,
            "title": self.title,
            "remediation": self.remediation,
            "example": self.example or None,
            "url": self.url,
        }


_RUN_CHECKS = (
    Check(
        SYNTAX,
        "tfgen",
        None,
        "high",
        "File does not parse",
        "tfgen reads every .tf, .tfvars and .tf.json file before anything else. A file that does "
        "not parse is not checked by anyone (checkov skips such files silently and exits 0), so "
        "it fails the run. Fix the syntax at the reported line (`terraform validate` shows the "
        "same error). When checkov alone cannot parse a valid file (its parser rejects some "
        "template directives), its checks did not run on it: simplify the expression, or accept "
        "that with `#checkov:skip=TFGEN_SYNTAX:<reason>` in the file.",
        "Fix the syntax at the reported line (`terraform validate` shows the same error).",
    ),
    Check(
        READ,
        "tfgen",
        None,
        "high",
        "File could not be read",
        "The entry looks like Terraform but tfgen could not read it: binary content, not UTF-8, "
        "a FIFO or other special file, a dangling symlink, a symlink loop, or a file too large "
        "to check. Nothing in it was checked, so the run fails.",
        "Make it a regular UTF-8 Terraform file, or remove it from the tree.",
    ),
    Check(
        INTERNAL,
        "tfgen",
        None,
        "high",
        "tfgen could not finish checking this module",
        "One of tfgen's own rules stopped with an unexpected error on this module, so its "
        "verdict is incomplete. Please report it with the file that triggers it.",
        "Report it with the file that triggers it.",
    ),
    Check(
        SKIP_REASON,
        "tfgen",
        None,
        "medium",
        "Inline skip without a reason",
        "Write why the check does not apply after a colon: `#checkov:skip=CKV_AWS_7:rotation is "
        "managed by the external key store`. A skip without a reason cannot be reviewed.",
        "Write the reason after a colon in the skip comment.",
        "#checkov:skip=CKV_AWS_7:rotation is managed by the external key store",
        "https://www.checkov.io/2.Basics/Suppressions.html",
    ),
)


def _rule_checks() -> list[Check]:
    from tfgen.validate.rules import all_rules

    return [
        Check(r.id, "tfgen", r.practice, r.severity, r.title, r.why, r.fix, r.example, r.url)
        for r in all_rules().values()
    ]


# A checkov check's own page: its source in checkov's repository, at the version tfgen pins (the
# catalogue's `source`, the file checkov's docs generator links; the open-source metadata carries
# no guideline offline, and the policy index is one page for every check).
CHECKOV_SOURCE = "https://github.com/bridgecrewio/checkov/blob/{version}/{source}"


def _checkov_check(entry: dict[str, Any]) -> Check:
    check_id, title = entry["id"], entry["title"]
    url = entry.get("guideline")
    if not url and entry.get("source"):
        url = CHECKOV_SOURCE.format(version=checkov_data()["checkov_version"], source=entry["source"])
    why = f"checkov check {check_id}: {title}."
    if entry["practice"]:
        why += f" tfgen counts it under the `{entry['practice']}` practice."
    if entry.get("fix"):
        why += f" {entry['fix']}"
    why += f" The check: {url or CHECKOV_POLICY_INDEX}"
    # the fix is what checkov looks for, where the check says so plainly (the catalogue's `fix`);
    # else none: checkov's title ("Ensure ...") repeated is no help, its source is
    return Check(check_id, "checkov", entry["practice"], entry["severity"], title, why, entry.get("fix") or "", "", url)


@lru_cache(maxsize=1)
def checks() -> dict[str, Check]:
    """Every check, by id: tfgen's rules, tfgen's run checks, then checkov's."""
    out: dict[str, Check] = {}
    for check in [*_rule_checks(), *_RUN_CHECKS, *(_checkov_check(e) for e in checkov_data()["checks"])]:
        if check.id in out:  # two sources claiming an id would give it two practices
            raise ValueError(f"check id {check.id} is registered twice")
        if check.severity not in SEVERITIES or check.practice not in (*PRACTICES, None):
            raise ValueError(f"check {check.id}: bad severity {check.severity!r} or practice {check.practice!r}")
        out[check.id] = check
    return out


@cache
def describe(check_id: str, fallback_title: str | None = None) -> Check:
    """The registry's entry for an id; an id it does not know (a custom checkov check) gets a plain one."""
    known = checks().get(check_id)
    if known is not None:
        return known
    title = fallback_title or check_id
    return Check(
        check_id,
        "checkov",
        None,
        "low",
        title,
        f"checkov check {check_id}: {title}. See the checkov policy index: {CHECKOV_POLICY_INDEX}",
        title,
        url=CHECKOV_POLICY_INDEX,
    )


# Where to read more about what each practice asks for: for iam and secrets the AWS pages the
# product brief's seed (the Proton security guide) cites, for encryption and audit the KMS and
# CloudTrail guides.
PRACTICE_READING = {
    "iam": "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html",
    "secrets": "https://docs.aws.amazon.com/secretsmanager/latest/userguide/intro.html",
    "encryption": "https://docs.aws.amazon.com/kms/latest/developerguide/overview.html",
    "audit": "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-user-guide.html",
}


def read_more(check_id: str) -> str | None:
    """The check's own page (the registry's `url`: an AWS guide's for tfgen's rules, the check's source
    at the pinned version for checkov's), else its practice's; None for neither (TFGEN_SYNTAX, ...)."""
    description = describe(check_id)
    return description.url or PRACTICE_READING.get(description.practice or "")


def practice_of(check_id: str) -> str | None:
    """The practice a finding with this id belongs to, or None."""
    check = checks().get(check_id)
    return check.practice if check is not None else None


def known_ids() -> set[str]:
    """The ids `--check` and `--skip-check` accept."""
    return set(checks())


def unknown_id_hint(check_id: str) -> str:
    """What to say after "unknown check id X": the closest known ids, and where every id is listed."""
    import difflib

    # cutoff 0.8: CKV_AWS_1000 still suggests CKV_AWS_100, while a random word suggests nothing
    close = difflib.get_close_matches(check_id.strip().upper(), list(checks()), n=3, cutoff=0.8)
    return (f"did you mean {', '.join(close)}? " if close else "") + "`tfgen list-checks` lists every id"


def selected_ids(ids: list[str] | tuple[str, ...], flag: str) -> tuple[str, ...]:
    """`--check`/`--skip-check` values (each comma-separated) as ids, each known and selectable; else one
    UsageError naming `flag`, the id and the ids it may have meant."""
    from tfgen.errors import UsageError

    out: list[str] = []
    known = known_ids()
    for raw in ids:
        for item in raw.split(","):
            item = item.strip()
            if not item:
                continue
            if item in UNEVALUATED:
                raise UsageError(f"{flag}: {item} cannot be selected or skipped (an unreadable tree never passes)")
            if item not in known:
                raise UsageError(
                    f"{flag}: unknown check id {item!r} (checkov would silently check nothing for it); "
                    + unknown_id_hint(item)
                )
            out.append(item)
    return tuple(out)


def id_order(check_id: str) -> tuple[str, int]:
    match = re.match(r"(.*?)(\d+)$", check_id)
    return (match.group(1), int(match.group(2))) if match else (check_id, 0)


def ordered(engine: str | None = None) -> list[Check]:
    """Checks in report order: tfgen's first, then checkov's by prefix and number."""
    every = sorted(checks().values(), key=lambda c: (c.engine != "tfgen", id_order(c.id)))
    return [c for c in every if engine is None or c.engine == engine]
