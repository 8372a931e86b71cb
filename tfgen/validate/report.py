"""The report `tfgen validate` produces: findings from both engines, and their summary.

The JSON shape of `Report.to_json()` is the contract in `report.schema.json` (printed by
`tfgen schema`, documented in docs/validate.md's "The JSON report"): keep the fields and their meanings
stable; a new field goes into the schema and docs/validate.md too (tests/test_validate_json_schema.py).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field, replace
from typing import Any

from tfgen import __version__
from tfgen.validate.registry import SEVERITIES, UNEVALUATED, describe, read_more
from tfgen.validate.status import FAILED, PASSED, SKIPPED, STATUSES

# A baseline entry: (check id, file, resource or "", fingerprint of the flagged line or "" for an
# entry written before fingerprints; `tfgen.validate.baseline`).
Key = tuple[str, str, str, str]


ENGINE_TFGEN = "tfgen"
ENGINE_CHECKOV = "checkov"


@dataclass(frozen=True)
class Finding:
    id: str
    title: str
    status: str
    practice: str | None
    engine: str
    resource: str | None
    file: str
    line: int
    skip_reason: str | None = None
    message: str | None = None  # what exactly is wrong, beyond the title
    baselined: bool = False  # skipped because `--baseline` lists it
    abs_path: str | None = field(default=None, compare=False)  # where the file is on disk

    @property
    def severity(self) -> str:
        """The registry's severity for this id (an id it does not know, a custom checkov check: low)."""
        return describe(self.id, self.title).severity

    def fails_run(self, fail_on: str) -> bool:
        """A failed finding that fails the run at threshold `fail_on`.

        An unevaluated file or module fails it whatever the threshold: a tree tfgen could not read never passes.
        """
        return self.status == FAILED and (
            self.id in UNEVALUATED or SEVERITIES.index(self.severity) >= SEVERITIES.index(fail_on)
        )

    def sort_key(self) -> tuple[Any, ...]:
        order = {FAILED: 0, SKIPPED: 1, PASSED: 2}
        return (self.file, self.line, order.get(self.status, 3), self.id, self.resource or "")

    def with_status(self, status: str, skip_reason: str | None = None, **changes: Any) -> Finding:
        return replace(self, status=status, skip_reason=skip_reason, **changes)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "practice": self.practice,
            "severity": self.severity,
            "engine": self.engine,
            "resource": self.resource,
            "file": self.file,
            "line": self.line,
            "skip_reason": self.skip_reason,
            "url": read_more(self.id),
        }
        if self.message:
            data["message"] = self.message
        if self.baselined:
            data["baselined"] = True
        return data

    @functools.cached_property
    def json_text(self) -> str:
        """`to_json()` as the JSON report writes it, once per finding: a run the cache answers
        writes its answered findings' while checkov scans the rest (`pipeline.render_ahead`)."""
        return json.dumps(self.to_json())


@dataclass(frozen=True)
class Summary:
    files: int
    passed: int
    failed: int
    skipped: int
    errors: int
    baseline_unmatched: int | None = None  # with --baseline: entries that matched no finding

    def to_json(self) -> dict[str, int]:
        data = {
            "files": self.files,
            "passed": self.passed,
            "failed": self.failed,
            "skipped": self.skipped,
            "errors": self.errors,
        }
        if self.baseline_unmatched is not None:
            data["baseline_unmatched"] = self.baseline_unmatched
        return data


@dataclass(frozen=True)
class SettingUsed:
    """A setting from a settings file that weakens the verdict (`trust.WEAKENS`), as every report shows it."""

    key: str  # the long flag without its dashes
    value: Any  # as the file wrote it
    file: str  # the settings file, relative to the working directory
    line: int | None

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "value": self.value, "file": self.file, "line": self.line}


@dataclass(frozen=True)
class BaselineOutcome:
    """What the run did with its `--baseline` (reported in the summary; `tfgen.validate.baseline`)."""

    entries: int  # entries in the baseline used (after an update: in the file written)
    unmatched: list[Key] = field(default_factory=list)  # entries this run could have matched but did not
    updated: bool = False  # the file was (re)written by --create-baseline
    added: int = 0
    dropped: int = 0
    critical: tuple[Finding, ...] = ()  # after an update: the critical findings the file written accepts
    unfingerprinted_secrets: int = 0  # entries of secret checks without a fingerprint: they match nothing

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "entries": self.entries,
            "unmatched": [{"id": i, "file": f, "resource": r or None} for i, f, r, _ in self.unmatched],
        }
        if self.updated:
            data.update(added=self.added, dropped=self.dropped)
        return data


@dataclass
class Report:
    findings: list[Finding]
    files: int  # Terraform files found (read or not)
    roots: list[str] = field(default_factory=list)
    checkov_ran: bool = False
    checkov_version: str | None = None
    duration_seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)  # e.g. a cache that could not be used (the run went on)
    shard: list[int] | None = None  # [I, N] when only shard I of N was checked
    changed_since: str | None = None  # --changed-since REF: only the groups holding a file changed since REF
    # Put before `Finding.file` (relative to the PATH) to name the file from the working directory:
    # how SARIF, JUnit and text name files (see `formats.where`); "" when `file` already does.
    file_base: str = ""
    baseline: BaselineOutcome | None = None  # with --baseline or --create-baseline
    fail_on: str = SEVERITIES[0]  # --fail-on: failed findings below this severity do not fail the run
    soft_fail: bool = False  # --soft-fail: findings never fail the run (exit 0)
    timings: list[tuple[str, float]] = field(default_factory=list)  # (step, seconds) of the pipeline, for --debug
    settings: tuple[SettingUsed, ...] = ()  # settings-file values that weaken this verdict

    @property
    def summary(self) -> Summary:
        counts = {status: 0 for status in STATUSES}
        for finding in self.findings:
            counts[finding.status] = counts.get(finding.status, 0) + 1
        errors = sum(f.status == FAILED and f.id in UNEVALUATED for f in self.findings)
        unmatched = len(self.baseline.unmatched) if self.baseline is not None else None
        return Summary(self.files, counts[PASSED], counts[FAILED], counts[SKIPPED], errors, unmatched)

    @property
    def failed(self) -> list[Finding]:
        return [f for f in self.findings if f.status == FAILED]

    @property
    def blocking(self) -> list[Finding]:
        """The failed findings that fail the run at `fail_on`."""
        return [f for f in self.findings if f.fails_run(self.fail_on)]

    @property
    def exit_code(self) -> int:
        return 1 if self.blocking and not self.soft_fail else 0

    def by_practice(self) -> dict[str | None, list[Finding]]:
        from tfgen import PRACTICES

        groups: dict[str | None, list[Finding]] = {p: [] for p in PRACTICES}
        groups[None] = []
        for finding in self.findings:
            groups.setdefault(finding.practice, []).append(finding)
        return groups

    def to_json(self, *, findings: bool = True) -> dict[str, Any]:
        """The report as JSON values (`findings=False`: its findings an empty list, for a writer
        that writes them itself, as `formats.to_json` does from `Finding.json_text`)."""
        return {
            "tool": "tfgen",
            "version": __version__,
            "summary": self.summary.to_json(),
            "findings": [f.to_json() for f in self.findings] if findings else [],
            "checkov": {"ran": self.checkov_ran, "version": self.checkov_version},
            "duration_seconds": round(self.duration_seconds, 3),
            **({"warnings": self.warnings} if self.warnings else {}),
            **({"shard": self.shard} if self.shard else {}),
            **({"changed_since": self.changed_since} if self.changed_since is not None else {}),
            **({"baseline": self.baseline.to_json()} if self.baseline is not None else {}),
            **({"settings": [s.to_json() for s in self.settings]} if self.settings else {}),
        }
