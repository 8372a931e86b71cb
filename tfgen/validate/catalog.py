"""Titles, help texts and practices for every id a report can hold (SARIF rules, JUnit, text)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from tfgen.validate.practices import practice_of

SYNTAX = "TFGEN_SYNTAX"
READ = "TFGEN_READ"
INTERNAL = "TFGEN_INTERNAL"

CHECKOV_POLICY_INDEX = "https://www.checkov.io/5.Policy%20Index/terraform.html"


@dataclass(frozen=True)
class Description:
    id: str
    title: str
    help: str
    practice: str | None
    engine: str


_SPECIAL = {
    SYNTAX: (
        "File does not parse",
        "tfgen reads every .tf, .tfvars and .tf.json file before anything else. A file that does "
        "not parse is not checked by anyone (checkov skips such files silently and exits 0), so "
        "it fails the run. Fix the syntax at the reported line (`terraform validate` shows the "
        "same error). When checkov alone cannot parse a valid file (its parser rejects some "
        "template directives), its checks did not run on it: simplify the expression, or accept "
        "that with `#checkov:skip=TFGEN_SYNTAX:<reason>` in the file.",
    ),
    READ: (
        "File could not be read",
        "The entry looks like Terraform but tfgen could not read it: binary content, not UTF-8, "
        "a FIFO or other special file, a dangling symlink, a symlink loop, or a file too large "
        "to check. Nothing in it was checked, so the run fails.",
    ),
    INTERNAL: (
        "tfgen could not finish checking this module",
        "One of tfgen's own rules stopped with an unexpected error on this module, so its "
        "verdict is incomplete. Please report it with the file that triggers it.",
    ),
}


@lru_cache(maxsize=None)
def describe(check_id: str, fallback_title: str | None = None) -> Description:
    from tfgen.validate.checkov_catalog import CHECKOV_CHECKS
    from tfgen.validate.rules import all_rules
    from tfgen.validate.skips import SKIP_REASON_HELP, SKIP_REASON_ID, SKIP_REASON_TITLE

    rules = all_rules()
    if check_id in rules:
        rule = rules[check_id]
        return Description(check_id, rule.title, rule.help, rule.practice, "tfgen")
    if check_id in _SPECIAL:
        title, text = _SPECIAL[check_id]
        return Description(check_id, title, text, None, "tfgen")
    if check_id == SKIP_REASON_ID:
        return Description(check_id, SKIP_REASON_TITLE, SKIP_REASON_HELP, None, "tfgen")
    title = CHECKOV_CHECKS.get(check_id) or fallback_title or check_id
    practice = practice_of(check_id)
    text = f"checkov check {check_id}: {title}."
    if practice:
        text += f" tfgen counts it under the `{practice}` practice."
    text += f" See the checkov policy index: {CHECKOV_POLICY_INDEX}"
    return Description(check_id, title, text, practice, "checkov")


def known_ids() -> set[str]:
    from tfgen.validate.checkov_catalog import CHECKOV_CHECKS
    from tfgen.validate.rules import all_rules

    return set(CHECKOV_CHECKS) | set(all_rules())
