"""`--create-baseline FILE` / `--baseline FILE`: adopt tfgen in a legacy repo, fail only on new findings.

A baseline lists failed findings by (id, file, resource), never by line, so edits elsewhere in
a file do not resurrect accepted findings. Findings that say the tree could not be read
(`TFGEN_SYNTAX`, `TFGEN_READ`) are never baselined: tfgen must not pass a tree it could not read.

Both flags together update the file: entries this run could have matched (their file was read
and parsed, and their check ran) are replaced by today's failed findings; entries it could not have matched
(another shard's file, a check left out by `--check`/`--skip-check`/`--skip-checkov`) are kept,
so a partial run never forgets accepted findings. A plain `--baseline` run reports the entries it
could have matched but did not, so teams can prune them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

from tfgen import __version__
from tfgen.atomic_write import write_atomic
from tfgen.errors import UsageError
from tfgen.safe_read import NotRegularFileError, read_regular
from tfgen.validate.registry import UNEVALUATED
from tfgen.validate.report import FAILED, SKIPPED, BaselineOutcome, Finding, Key

FORMAT = 1
# A baseline of 100,000 entries is about 10 MB of JSON; anything larger is not a baseline.
MAX_BYTES = 64 * 1024 * 1024


def key(finding: Finding) -> Key:
    return (finding.id, finding.file, finding.resource or "")


def failed_keys(findings: Iterable[Finding]) -> set[Key]:
    return {key(f) for f in findings if f.status == FAILED and f.id not in UNEVALUATED}


def write(path: Path, keys: Iterable[Key]) -> int:
    """Write the entries as a baseline, atomically (a reader sees the old file or the new one)."""
    ordered = sorted(set(keys))
    data = {
        "tool": "tfgen",
        "version": __version__,
        "format": FORMAT,
        "about": "Findings accepted when tfgen was adopted; `tfgen validate --baseline` reports them as skipped.",
        "findings": [{"id": i, "file": f, "resource": r or None} for i, f, r in ordered],
    }
    text = (json.dumps(data, indent=2) + "\n").encode("utf-8", "surrogateescape")
    try:
        write_atomic(path, text, prefix=f".{path.name}.", suffix=".tmp", durable=True)
    except OSError as exc:
        raise UsageError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
    return len(ordered)


def load(path: Path) -> set[Key]:
    try:
        raw = read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        raise UsageError(f"baseline not found: {path} (create one with --create-baseline {path})") from None
    except NotRegularFileError as exc:
        raise UsageError(f"cannot read baseline {path}: {exc.strerror}") from None
    except OSError as exc:
        raise UsageError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
        entries = data["findings"]
        keys = {(str(e["id"]), str(e["file"]), str(e.get("resource") or "")) for e in entries}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise UsageError(
            f'{path} is not a tfgen baseline (expected JSON with a "findings" list of id/file/resource)'
        ) from None
    except RecursionError:  # json recurses once per nested array or object
        raise UsageError(f"{path} is not a tfgen baseline (JSON nested too deeply to read)") from None
    return keys


def apply(findings: list[Finding], keys: set[Key], path: Path) -> list[Finding]:
    out: list[Finding] = []
    for finding in findings:
        if finding.status == FAILED and finding.id not in UNEVALUATED and key(finding) in keys:
            finding = finding.with_status(SKIPPED, f"accepted in baseline {path.name}", baselined=True)
        out.append(finding)
    return out


def settle(
    findings: list[Finding], baseline: Path | None, old: set[Key], create: Path | None, in_scope: Callable[[Key], bool]
) -> tuple[list[Finding], BaselineOutcome | None]:
    """Apply `--baseline` (its entries `old`, loaded before the run so a bad file fails fast) and
    write `--create-baseline` (an update of `old` when both are given)."""
    current = failed_keys(findings)
    if create is not None:
        new = {k for k in old if not in_scope(k)} | current
        write(create, new)
        outcome = BaselineOutcome(len(new), updated=True, added=len(new - old), dropped=len(old - new))
        return apply(findings, new, create), outcome
    if baseline is None:
        return findings, None
    unmatched = sorted(k for k in old if k not in current and in_scope(k))
    return apply(findings, old, baseline), BaselineOutcome(len(old), unmatched)
