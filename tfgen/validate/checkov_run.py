"""Run the pinned checkov as a subprocess, offline, and read its JSON whatever its shape.

checkov is never imported: it cannot share an environment with python-hcl2, and in-process
runs keep global caches between scans. Its traps (measured on 3.3.30) and how they are met:

- one report prints a dict, several a list, and several `-d` print one document each, back to
  back: `parse_output` reads any sequence of JSON documents;
- nothing evaluated prints a bare summary without `results`: that is zero results, not an error;
- exit code 0 with empty output (e.g. a missing `-d` path), an exit code other than 0/1, output
  that is not JSON, a hang: all raise `CheckovError` (exit 2) with one line saying what happened;
- parse errors exit 0: they are returned in `parsing_errors` for the engine to report.

stdout and stderr go to temporary files, so a large report can never fill a pipe while the
engine parses files in parallel.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfgen import checkov_env
from tfgen.errors import CheckovError
from tfgen.validate.model import Finding

FRAMEWORKS = ("terraform", "secrets")
DEFAULT_TIMEOUT = 1800.0


@dataclass
class CheckovResult:
    check_id: str
    title: str
    status: str  # "passed" | "failed" | "skipped"
    resource: str | None
    abs_path: str
    file_path: str
    line: int
    suppress_comment: str | None
    check_type: str


@dataclass
class CheckovOutput:
    results: list[CheckovResult] = field(default_factory=list)
    parsing_errors: list[str] = field(default_factory=list)
    unnamed_parsing_errors: int = 0  # a bare summary counted parse errors without naming files
    version: str | None = None


_STATUS = {"passed_checks": "passed", "failed_checks": "failed", "skipped_checks": "skipped"}
_NO_COMMENT = "No comment provided"


def _documents(text: str) -> list[Any]:
    decoder = json.JSONDecoder()
    documents: list[Any] = []
    i = 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return documents
        try:
            value, i = decoder.raw_decode(text, i)
        except json.JSONDecodeError:
            snippet = text[i : i + 80].strip().splitlines()[0] if text[i:].strip() else ""
            raise CheckovError(f"checkov printed output that is not a JSON report: {snippet!r}") from None
        documents.append(value)


def _reports(document: Any) -> list[dict[str, Any]]:
    if isinstance(document, list):
        out: list[dict[str, Any]] = []
        for item in document:
            out.extend(_reports(item))
        return out
    if isinstance(document, dict):
        return [document]
    raise CheckovError(f"checkov printed a JSON {type(document).__name__} where a report belongs")


def _line(record: dict[str, Any]) -> int:
    lines = record.get("file_line_range")
    if isinstance(lines, list) and lines and isinstance(lines[0], int) and lines[0] > 0:
        return lines[0]
    return 1


def parse_output(text: str, base_dirs: list[Path] | None = None) -> CheckovOutput:
    """Normalise checkov's `-o json` stdout: dict, list, bare summary, or several documents."""
    if not text.strip():
        raise CheckovError("checkov printed no report")
    output = CheckovOutput()
    for report in (r for d in _documents(text) for r in _reports(d)):
        if "results" not in report:
            if not {"passed", "failed"} <= set(report):
                raise CheckovError("checkov printed JSON that is neither a report nor a summary")
            output.version = output.version or report.get("checkov_version")
            errors = report.get("parsing_errors")
            if isinstance(errors, int):
                output.unnamed_parsing_errors += errors
            continue
        results = report.get("results") or {}
        summary = report.get("summary") or {}
        output.version = output.version or summary.get("checkov_version")
        check_type = str(report.get("check_type", ""))
        for key, status in _STATUS.items():
            for record in results.get(key) or []:
                if not isinstance(record, dict) or "check_id" not in record:
                    continue
                comment = (record.get("check_result") or {}).get("suppress_comment")
                abs_path = record.get("file_abs_path") or ""
                file_path = str(record.get("file_path") or "")
                if not abs_path and base_dirs:
                    abs_path = str(base_dirs[0] / file_path.lstrip("/"))
                output.results.append(
                    CheckovResult(
                        check_id=str(record["check_id"]),
                        title=str(record.get("check_name") or record["check_id"]),
                        status=status,
                        resource=record.get("resource"),
                        abs_path=str(abs_path),
                        file_path=file_path,
                        line=_line(record),
                        suppress_comment=None if comment in (None, "", _NO_COMMENT) else str(comment),
                        check_type=check_type,
                    )
                )
        for path in results.get("parsing_errors") or []:
            output.parsing_errors.append(str(path))
    return output


def command(
    executable: Path,
    *,
    directories: list[Path] = (),  # type: ignore[assignment]
    files: list[Path] = (),  # type: ignore[assignment]
    excludes: list[Path] = (),  # type: ignore[assignment]
    checks: list[str] | None = None,
    skip_checks: list[str] | None = None,
    external_checks_dirs: list[Path] = (),  # type: ignore[assignment]
) -> list[str]:
    """The argument vector for one checkov run (directories or files, never both)."""
    argv = [str(executable)]
    for directory in directories:
        argv += ["-d", str(directory)]
    if files:
        argv += ["-f", *[str(f) for f in files]]
    argv += ["--framework", *FRAMEWORKS, *checkov_env.OFFLINE_FLAGS]
    for path in excludes:
        argv += ["--skip-path", "^" + re.escape(str(path)) + "$"]
    for directory in external_checks_dirs:
        argv += ["--external-checks-dir", str(directory)]
    if checks:
        argv += ["--check", ",".join(checks)]
    if skip_checks:
        argv += ["--skip-check", ",".join(skip_checks)]
    return argv


class CheckovRun:
    """One checkov subprocess, started now, read with `wait()`."""

    def __init__(self, argv: list[str], timeout: float = DEFAULT_TIMEOUT, base_dirs: list[Path] | None = None) -> None:
        self.argv = argv
        self.timeout = timeout
        self.base_dirs = base_dirs or []
        self._stdout = tempfile.TemporaryFile()
        self._stderr = tempfile.TemporaryFile()
        self._started = time.monotonic()
        try:
            self._process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=self._stdout,
                stderr=self._stderr,
                env=checkov_env.offline_environment(),
            )
        except OSError as exc:
            self._close()
            raise CheckovError(f"cannot run checkov at {argv[0]}: {exc.strerror or exc}; {checkov_env.SETUP_HINT}") from None

    @property
    def running(self) -> bool:
        return self._process.poll() is None

    def _close(self) -> None:
        self._stdout.close()
        self._stderr.close()

    def _read(self, handle: Any) -> str:
        handle.seek(0)
        return handle.read().decode("utf-8", errors="replace")

    def cancel(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._close()

    def wait(self) -> CheckovOutput:
        remaining = max(1.0, self.timeout - (time.monotonic() - self._started))
        try:
            code = self._process.wait(timeout=remaining)
        except subprocess.TimeoutExpired:
            self.cancel()
            raise CheckovError(f"checkov did not finish within {self.timeout:.0f} s and was stopped") from None
        try:
            stdout = self._read(self._stdout)
            stderr = self._read(self._stderr)
        finally:
            self._close()
        tail = _last_line(stderr)
        if code not in (0, 1):
            detail = f": {tail}" if tail else ""
            raise CheckovError(f"checkov failed with exit code {code}{detail}")
        if not stdout.strip():
            detail = f" ({tail})" if tail else ""
            raise CheckovError(f"checkov exited with code {code} but printed no report{detail}")
        return parse_output(stdout, self.base_dirs)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    # skip checkov's log prefix ("2026-01-01 10:00:00,000 [MainThread  ] [ERROR]  ...")
    for line in reversed(lines):
        cleaned = re.sub(r"^\d{4}-\d\d-\d\d [\d:,]+ \[[^\]]*\] \[[A-Z]+\]\s*", "", line)
        if cleaned:
            return cleaned[:300]
    return ""


def start(
    executable: Path,
    directories: list[Path],
    files: list[Path],
    excludes: list[Path],
    *,
    checks: list[str] | None = None,
    skip_checks: list[str] | None = None,
    external_checks_dirs: list[Path] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[CheckovRun]:
    """Start one run for the directories and one for the files (checkov takes -d or -f, not both)."""
    runs: list[CheckovRun] = []
    extra = external_checks_dirs or []
    try:
        if directories:
            argv = command(executable, directories=directories, excludes=excludes, checks=checks,
                           skip_checks=skip_checks, external_checks_dirs=extra)
            runs.append(CheckovRun(argv, timeout, base_dirs=directories))
        if files:
            argv = command(executable, files=files, excludes=excludes, checks=checks,
                           skip_checks=skip_checks, external_checks_dirs=extra)
            runs.append(CheckovRun(argv, timeout, base_dirs=[files[0].parent]))
    except CheckovError:
        for run in runs:
            run.cancel()
        raise
    return runs


def bundled_checks_dir() -> Path | None:
    """tfgen's own checkov custom checks, if the package ships any (a dir with __init__.py)."""
    directory = Path(__file__).with_name("checks")
    if not (directory / "__init__.py").is_file():
        return None
    if any(p.suffix in (".py", ".yaml", ".yml") and p.name != "__init__.py" for p in directory.iterdir()):
        return directory
    return None


def parse_list_output(text: str) -> dict[str, str]:
    """`checkov --list` table -> {id: title} (used to regenerate and test checkov_catalog)."""
    checks: dict[str, str] = {}
    for line in text.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) >= 7 and re.match(r"CKV", parts[2]):
            checks.setdefault(parts[2], parts[5])
    return checks



def run_checkov_on_dir(directory: Path, *, checkov: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> list[Finding]:
    """checkov alone over one directory, as findings (`file` relative to it); for `tfgen init`'s self-check."""
    from tfgen.validate.practices import practice_of

    executable = checkov_env.locate(checkov)
    base = Path(directory).resolve()
    output = start(executable, [base], [], [], timeout=timeout)[0].wait()
    findings: list[Finding] = []
    for result in output.results:
        try:
            rel = Path(result.abs_path).resolve().relative_to(base).as_posix()
        except ValueError:
            rel = result.file_path.lstrip("/")
        findings.append(Finding(
            id=result.check_id, title=result.title, status=result.status, practice=practice_of(result.check_id),
            engine="checkov", resource=result.resource, file=rel, line=result.line,
            skip_reason=result.suppress_comment if result.status == "skipped" else None, abs_path=result.abs_path,
        ))
    for path in output.parsing_errors:
        findings.append(Finding(
            id="TFGEN_SYNTAX", title="checkov could not parse this file", status="failed", practice=None,
            engine="checkov", resource=None, file=path, line=1,
        ))
    return findings
