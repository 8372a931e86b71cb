"""`tfgen explain ID`: one check of the registry, in full (text for people, json for tools)."""

from __future__ import annotations

import json

from tfgen.errors import UsageError
from tfgen.printable import printable
from tfgen.validate.formats import TEXT_WIDTH, read_more, wrapped
from tfgen.validate.registry import PRACTICE_TITLES, Check, checks, unknown_id_hint


def lookup(check_id: str) -> Check:
    """The registry's check for `check_id` (any case); an unknown id is a usage error naming the closest ids."""
    known = checks()
    wanted = check_id.strip().upper()
    if wanted in known:
        return known[wanted]
    raise UsageError(f"unknown check id {printable(check_id)!r}; {unknown_id_hint(check_id)}"[:300])


def to_json(check: Check) -> str:
    """The same object `tfgen list-checks --format json` lists for this id."""
    return json.dumps(check.to_json(), indent=2, ensure_ascii=False) + "\n"


def to_text(check: Check, *, width: int | None = None) -> str:
    width = width or TEXT_WIDTH
    practice = f"{check.practice} ({PRACTICE_TITLES[check.practice]})" if check.practice else "none"
    lines = [
        f"{check.id}: {check.title}",
        f"  engine: {check.engine}",
        f"  practice: {practice}",
        f"  severity: {check.severity}",
        "",
    ]
    lines.extend(wrapped(f"why: {check.why}", width, ""))
    lines.extend(wrapped(f"how to fix: {check.remediation}", width, ""))
    if check.example:
        lines.append("example:")
        lines.extend(f"    {line}" for line in check.example.splitlines())
    url = check.url or read_more(check.id)
    if url:
        lines.append(f"read more: {url}")
    return "".join(line.rstrip() + "\n" for line in lines)
