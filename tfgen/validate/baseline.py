"""`--create-baseline FILE` / `--baseline FILE`: adopt tfgen in a legacy repo, fail only on new findings.

A baseline entry accepts exactly what was accepted: a failed finding with the same id, file and
resource whose flagged line still says the same thing. The entry pins that line by a fingerprint
(`fingerprint`: a hash of the line with its whitespace normalised, never the line itself, which for
a secret check holds the credential), not by its number, so edits elsewhere in a file do not
resurrect accepted findings, while a second credential added to an accepted block, or the flagged
value changed, is a new finding that fails the run. Findings that say the tree could not be read
(`TFGEN_SYNTAX`, `TFGEN_READ`) are never baselined: tfgen must not pass a tree it could not read.

Entries written before fingerprints (no `fingerprint`) still match by id, file and resource,
except those of the secrets practice's checks: accepting "some credential in this block" would
hide a token added later to a baselined provider block, so those match nothing until the baseline is
re-created (`--baseline F --create-baseline F`), and the run says so in one warning.

Both flags together update the file: entries this run could have matched (their file was read
and parsed, and their check ran) are replaced by today's failed findings; entries it could not have matched
(another shard's file, a check left out by `--check`/`--skip-check`/`--skip-checkov`) are kept,
so a partial run never forgets accepted findings. A plain `--baseline` run reports the entries it
could have matched but did not, so teams can prune them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from tfgen import __version__
from tfgen.atomic_write import write_atomic
from tfgen.errors import UsageError
from tfgen.safe_read import NotRegularFileError, read_regular
from tfgen.validate.registry import UNEVALUATED, describe
from tfgen.validate.report import FAILED, SKIPPED, BaselineOutcome, Finding, Key

FORMAT = 2  # 2: entries carry a fingerprint of the flagged line (1: id, file and resource only)
# A baseline of 100,000 entries is about 10 MB of JSON; anything larger is not a baseline.
MAX_BYTES = 64 * 1024 * 1024

# The text of the line a finding flags ("" when tfgen did not read it): what its fingerprint pins.
FlaggedLine = Callable[[Finding], str]


def fingerprint(line: str) -> str:
    """16 hex digits of SHA-256 over the line with its whitespace normalised: the same for the same
    content wherever the line moves or however it is indented, and never the content itself."""
    normal = " ".join(line.split())
    return hashlib.sha256(b"tfgen-baseline/2\0" + normal.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def key(finding: Finding, flagged_line: FlaggedLine) -> Key:
    return (finding.id, finding.file, finding.resource or "", fingerprint(flagged_line(finding)))


def failed_keys(findings: Iterable[Finding], flagged_line: FlaggedLine) -> dict[Key, list[Finding]]:
    """Today's baselinable failed findings by their entry."""
    out: dict[Key, list[Finding]] = {}
    for f in findings:
        if f.status == FAILED and f.id not in UNEVALUATED:
            out.setdefault(key(f, flagged_line), []).append(f)
    return out


def is_secret_check(check_id: str) -> bool:
    return describe(check_id).practice == "secrets"


class Matcher:
    """Which findings a baseline's entries accept: all four parts, or, for an entry written before
    fingerprints, id, file and resource (never for a secret check: see the module docstring)."""

    def __init__(self, entries: Iterable[Key]) -> None:
        self.exact: set[Key] = set()
        self.legacy: set[tuple[str, str, str]] = set()
        for entry in entries:
            if entry[3]:
                self.exact.add(entry)
            elif not is_secret_check(entry[0]):
                self.legacy.add(entry[:3])

    def accepts(self, entry: Key) -> bool:
        return entry in self.exact or entry[:3] in self.legacy


def write(path: Path, keys: Iterable[Key]) -> int:
    """Write the entries as a baseline, atomically (a reader sees the old file or the new one)."""
    ordered = sorted(set(keys))
    data = {
        "tool": "tfgen",
        "version": __version__,
        "format": FORMAT,
        "about": "Findings accepted when tfgen was adopted; `tfgen validate --baseline` reports them as skipped. "
        "A fingerprint is a hash of the flagged line: a changed or added line is a new finding.",
        "findings": [
            {"id": i, "file": f, "resource": r or None, **({"fingerprint": h} if h else {})} for i, f, r, h in ordered
        ],
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
        keys = {
            (str(e["id"]), str(e["file"]), str(e.get("resource") or ""), _fingerprint_of(e.get("fingerprint")))
            for e in entries
        }
    except (ValueError, KeyError, TypeError, AttributeError):
        raise UsageError(
            f'{path} is not a tfgen baseline (expected JSON with a "findings" list of id/file/resource/fingerprint)'
        ) from None
    except RecursionError:  # json recurses once per nested array or object
        raise UsageError(f"{path} is not a tfgen baseline (JSON nested too deeply to read)") from None
    return keys


def _fingerprint_of(value: object) -> str:
    if value is None:
        return ""  # an entry written before fingerprints
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-f]{16}", value):
        raise ValueError(f"not a fingerprint: {value!r}")
    return value


def apply(findings: list[Finding], accepted: Matcher, path: Path, flagged_line: FlaggedLine) -> list[Finding]:
    out: list[Finding] = []
    for finding in findings:
        if finding.status == FAILED and finding.id not in UNEVALUATED and accepted.accepts(key(finding, flagged_line)):
            finding = finding.with_status(SKIPPED, f"accepted in baseline {path.name}", baselined=True)
        out.append(finding)
    return out


def settle(
    findings: list[Finding],
    baseline: Path | None,
    old: set[Key],
    create: Path | None,
    in_scope: Callable[[Key], bool],
    flagged_line: FlaggedLine,
) -> tuple[list[Finding], BaselineOutcome | None]:
    """Apply `--baseline` (its entries `old`, loaded before the run so a bad file fails fast) and
    write `--create-baseline` (an update of `old` when both are given)."""
    if create is not None:
        current = failed_keys(findings, flagged_line)
        new = {k for k in old if not in_scope(k)} | set(current)
        write(create, new)
        critical = tuple(f for fs in current.values() for f in fs if f.severity == "critical")
        outcome = BaselineOutcome(
            len(new),
            updated=True,
            added=len(new - old),
            dropped=len(old - new),
            critical=tuple(sorted(critical, key=Finding.sort_key)),
        )
        return apply(findings, Matcher(new), create, flagged_line), outcome
    if baseline is None:  # no fingerprint taken: 0.06 s of a report of 27,318 findings
        return findings, None
    current = failed_keys(findings, flagged_line)
    matcher = Matcher(old)
    triples = {k[:3] for k in current}

    def used(entry: Key) -> bool:
        """Does this entry accept one of today's findings?"""
        return entry in current if entry[3] else entry[:3] in matcher.legacy and entry[:3] in triples

    unmatched = sorted(k for k in old if in_scope(k) and not used(k))
    unfingerprinted = sum(1 for k in old if not k[3] and is_secret_check(k[0]))
    return apply(findings, matcher, baseline, flagged_line), BaselineOutcome(
        len(old), unmatched, unfingerprinted_secrets=unfingerprinted
    )
