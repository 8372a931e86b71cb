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
engine parses files in parallel. The report is bounded (MAX_REPORT_BYTES, watched while checkov
runs), only stderr's tail is read, and the timeout covers reading and parsing too.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfgen.checkov import env as checkov_env
from tfgen.errors import CheckovError, UsageError

if TYPE_CHECKING:
    from tfgen.checkov.empty_report import Block

FRAMEWORKS = ("terraform", "secrets")
TIMEOUT_ENV_VAR = "TFGEN_CHECKOV_TIMEOUT"
# One checkov process over bench/run.py's largest tree (synthetic x8: 568 files, 61,617 lines)
# took 48 s alone on this 2-core VM (docs/performance.md's benchmark table), and 78 s (54 s of CPU) with four
# other engineers' test runs beside it. 900 s is over 10x that: a checkov that has not answered by then is
# hung, not slow, while a CI job's own limit (GitHub Actions: 360 min) is far away.
DEFAULT_TIMEOUT = 900.0
_WATCHDOG_START_SECONDS = 60.0  # the watchdog (python -I -S, stdlib only) answers in ~35 ms
_WATCHDOG_STOP_SECONDS = 30.0
# checkov's JSON report is parsed whole: Python's objects for it take ~25x its size (a 100 MB
# report peaked at 2.5 GB). 256 MiB (~6 GB parsed) is far above a real tree's report and still
# fits a CI runner; past it the run stops with one line (`--shard` splits a tree that large).
MAX_REPORT_BYTES = 256 << 20
MAX_STDERR_TAIL = 64 << 10  # only checkov's last stderr line is ever shown
_POLL_SECONDS = 0.25  # how often a running checkov's report size is looked at


def resolve_timeout(value: float | None = None) -> float:
    """`--checkov-timeout`, else $TFGEN_CHECKOV_TIMEOUT, else DEFAULT_TIMEOUT; seconds, > 0."""
    source = "--checkov-timeout"
    if value is None:
        raw = os.environ.get(TIMEOUT_ENV_VAR, "").strip()
        if not raw:
            return DEFAULT_TIMEOUT
        source = TIMEOUT_ENV_VAR
        try:
            value = float(raw)
        except ValueError:
            raise UsageError(f"{source}: {raw!r} is not a number of seconds") from None
    if not (0 < value < float("inf")):
        raise UsageError(f"{source}: {value:g} is not a positive number of seconds")
    return float(value)


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
        except RecursionError:  # json's C decoder recurses per nesting level
            raise CheckovError("checkov printed JSON nested too deeply to be a report") from None
        except json.JSONDecodeError:
            snippet = text[i : i + 80].strip().splitlines()[0] if text[i:].strip() else ""
            raise CheckovError(f"checkov printed output that is not a JSON report: {snippet!r}") from None
        documents.append(value)


def _reports(document: Any) -> list[dict[str, Any]]:
    """The report objects in one document: a dict, or lists of them (walked without recursion)."""
    out: list[dict[str, Any]] = []
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            out.append(item)
        else:
            raise CheckovError(f"checkov printed a JSON {type(item).__name__} where a report belongs")
    return out


class _Untrusted(CheckovError):
    def __init__(self, what: str) -> None:
        super().__init__(
            f"checkov printed a report tfgen cannot trust: {what}; is --checkov/TFGEN_CHECKOV the pinned "
            f"checkov {checkov_env.CHECKOV_VERSION}?"
        )


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _optional(record: dict[str, Any], name: str, where: str, kinds: tuple[type, ...] = (str,)) -> Any:
    value = record.get(name)
    if value is not None and (not isinstance(value, kinds) or isinstance(value, bool)):
        raise _Untrusted(f"{where}.{name} is a {_kind(value)}")
    return value


def _line(record: dict[str, Any], where: str) -> int:
    lines = _optional(record, "file_line_range", where, (list,))
    if lines is None:
        return 1
    if not lines or not all(isinstance(n, int) and not isinstance(n, bool) for n in lines):
        raise _Untrusted(f"{where}.file_line_range is not a list of line numbers")
    return max(1, lines[0])


def _result(record: Any, status: str, where: str, check_type: str, base_dirs: list[Path] | None) -> CheckovResult:
    """One record, every field checked: a value of the wrong type is a report that cannot be read right."""
    if not isinstance(record, dict):
        raise _Untrusted(f"{where} is a {_kind(record)}, not a record")
    check_id = record.get("check_id")
    if not isinstance(check_id, str) or not check_id:
        raise _Untrusted(f"{where}.check_id is {'missing' if 'check_id' not in record else 'a ' + _kind(check_id)}")
    title = _optional(record, "check_name", where)
    resource = _optional(record, "resource", where)
    file_path = _optional(record, "file_path", where) or ""
    abs_path = _optional(record, "file_abs_path", where) or ""
    if "\0" in file_path or "\0" in abs_path:  # no file name holds one (it crashed os.path.realpath)
        raise _Untrusted(f"{where} names a file with a NUL byte")
    check_result = _optional(record, "check_result", where, (dict,)) or {}
    comment = _optional(check_result, "suppress_comment", f"{where}.check_result")
    if abs_path and not os.path.isabs(abs_path):  # checkov writes absolute paths; a relative one resolves nowhere known
        raise _Untrusted(f"{where}.file_abs_path is not an absolute path")
    if not abs_path and base_dirs:
        abs_path = str(base_dirs[0] / file_path.lstrip("/"))
    return CheckovResult(
        check_id=check_id,
        title=title or check_id,
        status=status,
        resource=resource,
        abs_path=abs_path,
        file_path=file_path,
        line=_line(record, where),
        suppress_comment=None if comment in (None, "", _NO_COMMENT) else comment,
        check_type=check_type,
    )


def _count(summary: dict[str, Any], name: str) -> int | None:
    value = summary.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _Untrusted(f"summary.{name} is a {_kind(value)}, not a count")
    return value


def _read_bare_summary(report: dict[str, Any], output: CheckovOutput) -> None:
    # checkov prints a bare summary only when it evaluated nothing: one that counts checks lists none
    for name in ("passed", "failed", "skipped"):
        if _count(report, name):
            raise _Untrusted(f"a bare summary counts {report[name]} {name} check(s) it does not list")
    version = report.get("checkov_version")
    output.version = output.version or (version if isinstance(version, str) else None)
    errors = _count(report, "parsing_errors")
    output.unnamed_parsing_errors += errors or 0


def _read_report(report: dict[str, Any], output: CheckovOutput, base_dirs: list[Path] | None) -> None:
    results = report["results"]
    if not isinstance(results, dict):
        raise _Untrusted(f"results is a {_kind(results)}")
    summary = _optional(report, "summary", "report", (dict,)) or {}
    check_type = _optional(report, "check_type", "report") or ""
    version = summary.get("checkov_version")
    output.version = output.version or (version if isinstance(version, str) else None)
    for key, status in _STATUS.items():
        records = results.get(key)
        if records is None:
            records = []
        if not isinstance(records, list):
            raise _Untrusted(f"{key} is a {_kind(records)}, not a list")
        counted = _count(summary, status)
        if counted is not None and counted != len(records):
            raise _Untrusted(f"its summary counts {counted} {status} check(s) but {key} lists {len(records)}")
        output.results.extend(_result(r, status, f"{key}[{i}]", check_type, base_dirs) for i, r in enumerate(records))
    errors = results.get("parsing_errors")
    if errors is None:
        errors = []
    if not isinstance(errors, list) or not all(isinstance(p, str) and "\0" not in p for p in errors):
        raise _Untrusted("parsing_errors is not a list of file names")
    output.parsing_errors.extend(errors)


def parse_output(text: str, base_dirs: list[Path] | None = None) -> CheckovOutput:
    """Normalise checkov's `-o json` stdout: dict, list, bare summary, or several documents.

    Every field tfgen uses is type-checked: a record it cannot read exactly (a `check_id` that
    is not a string, `failed_checks` that is not a list, a summary that counts checks the
    lists do not hold) raises CheckovError rather than being skipped, since a skipped failed
    record is a failing tree passed.
    """
    if not text or text.isspace():
        raise CheckovError("checkov printed no report")
    output = CheckovOutput()
    for report in (r for d in _documents(text) for r in _reports(d)):
        if "results" in report:
            _read_report(report, output, base_dirs)
        elif {"passed", "failed"} <= set(report):
            _read_bare_summary(report, output)
        else:
            raise CheckovError("checkov printed JSON that is neither a report nor a summary")
    return output


def command(
    executable: Path,
    *,
    directories: Sequence[Path] = (),
    files: Sequence[Path] = (),
    excludes: Sequence[Path] = (),
    checks: list[str] | None = None,
    skip_checks: list[str] | None = None,
) -> list[str]:
    """The argument vector for one checkov run (directories or files, never both)."""
    argv = [str(executable)]
    # `--directory=DIR`, never `-d DIR`: checkov 3.3.30 reads `.checkov.yaml` from a directory it
    # finds after a separate `-d`/`--directory` word in its argv (config_utils.get_default_config_paths),
    # and a scanned repository's own config could skip checks or load its own Python as checks.
    # tests/test_validate_checkov_config_ignored.py holds this for every place checkov looks.
    # Paths absolute: checkov runs in an empty directory of its own (CheckovRun._spawn).
    for directory in directories:
        argv.append(f"--directory={directory.absolute()}")
    if files:
        argv += ["-f", *[str(f.absolute()) for f in files]]
    argv += ["--framework", *FRAMEWORKS, *checkov_env.OFFLINE_FLAGS]
    for path in excludes:
        argv += ["--skip-path", "^" + re.escape(str(path.absolute())) + "$"]
    if checks:
        argv += ["--check", ",".join(checks)]
    if skip_checks:
        argv += ["--skip-check", ",".join(skip_checks)]
    return argv


# How tfgen runs checkov's own script, as pip installs it (`checkov_env.checkov_script_python`):
# `PYTHON -c DRIVER SCRIPT REAL_SCRIPT ARGUMENTS_FILE` with the Python its `#!` line names; a line
# on standard input says the file holds the arguments (a JSON list). It is the script's body
# (`checkov_env.CHECKOV_SCRIPT_BODY`) with the same sys.argv, sys.path (the real script's
# directory first, as for a script run through a link) and an empty standard input, but for two
# things, each measured with checkov 3.3.30 over one edited root of bench/run.py's x8 tree (10
# files; 2.6 s as the script):
# - the import (1.5-2.0 s) comes before the arguments are read, so a checkov started ahead of what
#   it scans (`ahead()`) imports itself while tfgen reads the tree; nothing runs when tfgen closes
#   standard input unused. The arguments go to `Checkov(argv)` itself: its default,
#   `sys.argv[1:]`, is bound at import.
# - once its report is written and flushed, it ends at once (`os._exit`): tearing its interpreter
#   down takes 0.65 s more (2.65 s -> 1.99 s standalone), a heap of checks and graphs freed object
#   by object. What the teardown runs that matters is done first: logging is shut down, and its
#   worker processes are ended and waited for as multiprocessing's exit handler does (daemons
#   terminated, the others joined: none left a zombie, their CPU counted). checkov's own exit
#   handler removes external checks it downloaded, which tfgen never asks for.
# An exception, or a `run()` that answers other than with an exit code, ends as the script would.
DRIVER = """\
import json, logging, multiprocessing, os, sys, warnings
script, real_script, arguments_file = sys.argv[1:4]
sys.path[0] = os.path.dirname(real_script)
from checkov.main import Checkov
if not sys.stdin.readline():
    sys.exit(0)
with open(arguments_file, encoding="utf-8") as handle:
    arguments = json.load(handle)
null = os.open(os.devnull, os.O_RDONLY)
os.dup2(null, 0)
os.close(null)
sys.argv = [script, *arguments]
with warnings.catch_warnings():
    warnings.simplefilter("ignore", category=SyntaxWarning)
    code = Checkov(arguments).run()
if code is not None and not isinstance(code, int):
    sys.exit(code)
logging.shutdown()
sys.stdout.flush()
sys.stderr.flush()
for child in multiprocessing.active_children():
    if child.daemon:
        child.terminate()
for child in multiprocessing.active_children():
    child.join()
os._exit(code or 0)
"""


class CheckovRun:
    """One checkov subprocess (and every process it starts): given its arguments with `begin()`,
    read with `wait()`.

    With `driver` (`driver_for`: the Python of checkov's own script) it is started at once, by that
    Python with `DRIVER`, and imports itself while it waits for its arguments; without, the
    executable (a wrapper, a binary) is started as it is, by `begin()`. On POSIX checkov runs under
    `procwatch`, in a process group of its own that dies with this process (see there why);
    `cancel()` and a timeout take the whole group down.
    """

    def __init__(self, executable: Path, timeout: float | None = None, driver: Path | None = None) -> None:
        self.argv = [str(executable)]
        self.timeout = resolve_timeout(timeout)
        self.base_dirs: list[Path] = []
        self.max_output_bytes = MAX_REPORT_BYTES
        self._stdout = tempfile.TemporaryFile()
        self._stderr = tempfile.TemporaryFile()
        self._empty = tempfile.TemporaryDirectory(prefix="tfgen-empty-")  # not a scratch.PREFIXES copy
        self._control: socket.socket | None = None
        self._arguments_file = Path(self._empty.name) / "tfgen-arguments.json"  # the driver's
        self._driver = driver
        self._waiting_for_arguments = True
        self._started = time.monotonic()
        self._process: subprocess.Popen[bytes] | None = None
        if self._driver is not None:
            real = os.path.realpath(executable)
            command = [str(self._driver), "-c", DRIVER, str(executable), real, str(self._arguments_file)]
            self._process = self._spawn_or_raise(command)

    @property
    def started_ahead(self) -> bool:
        """Running already, before its arguments: checkov's own script, under `DRIVER`."""
        return self._driver is not None

    def _spawn_or_raise(self, argv: list[str]) -> subprocess.Popen[bytes]:
        try:
            return self._spawn(argv)
        except OSError as exc:
            self._close()
            raise CheckovError(
                f"cannot run checkov at {self.argv[0]}: {exc.strerror or exc}; {checkov_env.SETUP_HINT}"
            ) from None

    def begin(self, argv: list[str], base_dirs: list[Path] | None = None) -> None:
        """Give checkov its arguments (`command()`'s, the executable first): once, before `wait()`."""
        if not self._waiting_for_arguments:
            raise RuntimeError("begin() gives a checkov its arguments once")
        self._waiting_for_arguments = False
        self.argv = argv
        self.base_dirs = base_dirs or []
        self._started = time.monotonic()
        if self._process is None:
            self._process = self._spawn_or_raise(argv)
            return
        # In a file, not on the pipe: an argument list longer than the pipe holds (64 KiB: a hook's
        # thousands of `-f` files) would block here until checkov's import ended, outside any timeout.
        try:
            self._arguments_file.write_text(json.dumps(argv[1:]), encoding="utf-8")
        except OSError as exc:
            self.cancel()
            raise CheckovError(
                f"cannot give checkov its arguments in {self._arguments_file}: {exc.strerror or exc}"
            ) from None
        try:
            if self._process.stdin is not None:  # the driver's: closed only by cancel()
                self._process.stdin.write(b"go\n")
                self._process.stdin.close()
        except OSError:
            pass  # it ended already: wait() says how

    def _spawn(self, argv: list[str]) -> subprocess.Popen[bytes]:
        # A directory of its own, empty but for the driver's arguments file, is checkov's working
        # directory and HOME: it reads `.checkov.yaml` from both.
        empty = Path(self._empty.name)
        streams: dict[str, Any] = dict(
            stdin=subprocess.PIPE if self._driver is not None else subprocess.DEVNULL,
            stdout=self._stdout,
            stderr=self._stderr,
            cwd=empty,
            env=checkov_env.offline_environment(empty),
        )
        if os.name != "posix":
            return subprocess.Popen(argv, **streams)
        ours, theirs = socket.socketpair()
        try:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-I",
                    "-S",
                    str(Path(__file__).with_name("procwatch.py")),
                    str(theirs.fileno()),
                    *argv,
                ],
                pass_fds=(theirs.fileno(),),
                **streams,
            )
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self._control = ours
        try:
            ours.settimeout(_WATCHDOG_START_SECONDS)
            # closed at once: a socket's descriptor stays open while a file made from it is
            with ours.makefile("rb") as stream:
                status = stream.readline(4096).decode("utf-8", "replace").strip()
        except OSError:
            status = ""
        if not status.startswith("ok "):
            self._stop(process)
            message = status[len("error ") :] if status.startswith("error ") else "it did not start"
            raise OSError(0, message)
        return process

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def _close(self) -> None:
        self._stdout.close()
        self._stderr.close()
        self._empty.cleanup()

    def _read(self, handle: Any, tail: int | None = None) -> str:
        """The file's text (its last `tail` bytes only, when given), decoded from one read."""
        size = os.fstat(handle.fileno()).st_size
        handle.seek(max(0, size - tail) if tail is not None else 0)
        return handle.read().decode("utf-8", errors="replace")

    def _too_large(self) -> CheckovError | None:
        if os.fstat(self._stdout.fileno()).st_size <= self.max_output_bytes:
            return None
        return CheckovError(
            f"checkov printed more than {self.max_output_bytes >> 20} MiB of report and was stopped; "
            "tfgen reads no larger report (check the tree in parts with --shard)"
        )

    def _stop(self, process: subprocess.Popen[bytes]) -> None:
        """Take checkov's whole process group down: closing our end tells its watchdog to."""
        if self._control is not None:
            self._control.close()
        elif process.poll() is None:  # no watchdog (not POSIX): checkov itself
            process.kill()
        try:
            process.wait(timeout=_WATCHDOG_STOP_SECONDS)
        except subprocess.TimeoutExpired:  # a watchdog that does not answer: it goes too
            process.kill()
            process.wait()

    def cancel(self) -> None:
        process = self._process
        if process is not None:
            if process.stdin is not None:
                process.stdin.close()  # a checkov started ahead and never begun ends on its own too
            if process.poll() is None or self._control is not None:
                self._stop(process)
        self._close()

    def _timed_out(self) -> CheckovError:
        return CheckovError(
            f"checkov did not finish within {self.timeout:g} s and was stopped with every process it "
            f"started; raise --checkov-timeout or {TIMEOUT_ENV_VAR} for a tree this large"
        )

    def wait(self) -> CheckovOutput:
        """checkov's parsed report; the timeout covers the whole step, reading and parsing included."""
        process = self._process
        if process is None or self._waiting_for_arguments:
            raise RuntimeError("wait() on a checkov not given its arguments (begin())")
        deadline = self._started + self.timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.cancel()
                raise self._timed_out()
            try:
                code = process.wait(timeout=min(remaining, _POLL_SECONDS))
                break
            except subprocess.TimeoutExpired:
                too_large = self._too_large()  # on disk, not in memory: still, never without end
                if too_large is not None:
                    self.cancel()
                    raise too_large from None
        if self._control is not None:
            self._control.close()
        try:
            too_large = self._too_large()
            if too_large is not None:
                raise too_large
            stderr = self._read(self._stderr, MAX_STDERR_TAIL)
            stdout = self._read(self._stdout)
        finally:
            self._close()
        tail = _last_line(stderr)
        if code not in (0, 1):
            detail = f": {tail}" if tail else ""
            raise CheckovError(f"checkov failed with exit code {code}{detail}")
        if not stdout or stdout.isspace():  # no stripped copy of a large report
            detail = f" ({tail})" if tail else ""
            raise CheckovError(f"checkov exited with code {code} but printed no report{detail}")
        output = parse_output(stdout, self.base_dirs)
        if time.monotonic() > deadline:
            raise self._timed_out()
        return output


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    # skip checkov's log prefix ("2026-01-01 10:00:00,000 [MainThread  ] [ERROR]  ...")
    for line in reversed(lines):
        cleaned = re.sub(r"^\d{4}-\d\d-\d\d [\d:,]+ \[[^\]]*\] \[[A-Z]+\]\s*", "", line)
        if cleaned:
            return cleaned[:300]
    return ""


def driver_for(executable: Path) -> Path | None:
    """The Python that runs `executable` under `DRIVER` (POSIX: `procwatch` takes its process group down), if any."""
    return checkov_env.checkov_script_python(executable) if os.name == "posix" else None


def ahead(executable: Path, timeout: float | None = None) -> CheckovRun | None:
    """checkov started before tfgen knows what it will scan, for `launch()` to give the arguments.

    Its import, most of a small scan (see `DRIVER`), runs while tfgen reads the tree, groups it
    and reads its cache. None for an executable that is not checkov's own script, or one that did
    not start: `launch()` then starts checkov with its arguments.
    """
    driver = driver_for(executable)
    if driver is None:
        return None
    try:
        return CheckovRun(executable, timeout, driver)
    except (CheckovError, OSError):  # e.g. no room for its temporary files: the batch's start says why
        return None


def launch(
    argv: list[str], timeout: float | None, base_dirs: list[Path], started: CheckovRun | None = None
) -> CheckovRun:
    """A run of `argv` (`command()`'s): `started` (from `ahead()`) given it, else a new run."""
    executable = Path(argv[0])
    run = started if started is not None else CheckovRun(executable, timeout, driver_for(executable))
    run.begin(argv, base_dirs)
    return run


def start(
    executable: Path,
    directories: list[Path],
    files: list[Path],
    excludes: list[Path],
    *,
    checks: list[str] | None = None,
    skip_checks: list[str] | None = None,
    timeout: float | None = None,
    ahead: CheckovRun | None = None,
) -> list[CheckovRun]:
    """Start one run for the directories and one for the files (checkov takes -d or -f, not both);
    the first of them is `ahead`, when given."""
    runs: list[CheckovRun] = []
    try:
        if directories:
            argv = command(
                executable,
                directories=directories,
                excludes=excludes,
                checks=checks,
                skip_checks=skip_checks,
            )
            runs.append(launch(argv, timeout, directories, ahead))
            ahead = None
        if files:
            argv = command(
                executable,
                files=files,
                excludes=excludes,
                checks=checks,
                skip_checks=skip_checks,
            )
            runs.append(launch(argv, timeout, [files[0].parent], ahead))
    except CheckovError:
        for run in runs:
            run.cancel()
        raise
    return runs


def run_checkov_on_dir(
    directory: Path,
    *,
    checkov: str | None = None,
    timeout: float | None = None,
    expected: Callable[[], Iterable[Block]] | None = None,
) -> CheckovOutput:
    """checkov alone over one directory, its results' `file_path` relative to it; for `tfgen init`'s self-check.

    `expected`: the directory's blocks, computed while checkov runs; an empty report on blocks
    checkov certainly evaluates is a CheckovError (see `empty_report`).
    """
    from tfgen.checkov.empty_report import require_evaluated

    executable = checkov_env.locate(checkov)
    base = Path(directory).resolve()
    run = start(executable, [base], [], [], timeout=timeout)[0]
    try:
        blocks = list(expected()) if expected is not None else []
        output = run.wait()
    finally:
        run.cancel()
    require_evaluated(len(output.results), len(output.parsing_errors) + output.unnamed_parsing_errors, blocks)
    relative: list[CheckovResult] = []
    for result in output.results:
        try:
            rel = Path(result.abs_path).resolve().relative_to(base).as_posix()
        except ValueError:
            rel = result.file_path.lstrip("/")
        relative.append(dataclasses.replace(result, file_path=rel))
    return dataclasses.replace(output, results=relative)
