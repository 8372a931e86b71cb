"""`--create-baseline FILE` / `--baseline FILE`: adopt tfgen in a legacy repo, fail only on new findings.

A baseline lists failed findings by (id, file, resource), never by line, so edits elsewhere in
a file do not resurrect accepted findings. Findings that say the tree could not be read
(`TFGEN_SYNTAX`, `TFGEN_READ`) are never baselined: tfgen must not pass a tree it could not read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from tfgen import __version__
from tfgen.errors import UsageError
from tfgen.validate.model import FAILED, SKIPPED, Finding

NEVER_BASELINED = frozenset({"TFGEN_SYNTAX", "TFGEN_READ", "TFGEN_INTERNAL"})
FORMAT = 1


def key(finding: Finding) -> tuple[str, str, str]:
    return (finding.id, finding.file, finding.resource or "")


def write(path: Path, findings: Iterable[Finding]) -> int:
    """Write the failed findings as a baseline; returns how many entries it holds."""
    keys = sorted({key(f) for f in findings if f.status == FAILED and f.id not in NEVER_BASELINED})
    data = {
        "tool": "tfgen",
        "version": __version__,
        "format": FORMAT,
        "about": "Findings accepted when tfgen was adopted; `tfgen validate --baseline` reports them as skipped.",
        "findings": [{"id": i, "file": f, "resource": r or None} for i, f, r in keys],
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
    return len(keys)


def load(path: Path) -> set[tuple[str, str, str]]:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"baseline not found: {path} (create one with --create-baseline {path})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read baseline {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = json.loads(raw)
        entries = data["findings"]
        keys = {(str(e["id"]), str(e["file"]), str(e.get("resource") or "")) for e in entries}
    except (ValueError, KeyError, TypeError):
        raise UsageError(f"{path} is not a tfgen baseline (expected JSON with a \"findings\" list of id/file/resource)") from None
    return keys


def apply(findings: list[Finding], keys: set[tuple[str, str, str]], path: Path) -> list[Finding]:
    out: list[Finding] = []
    for finding in findings:
        if finding.status == FAILED and finding.id not in NEVER_BASELINED and key(finding) in keys:
            finding = finding.with_status(SKIPPED, f"accepted in baseline {path.name}", baselined=True)
        out.append(finding)
    return out
