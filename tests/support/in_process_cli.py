"""The real CLI (`tfgen.cli.app`) run in this process, and the one-line error every refusal must be."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

from typer.testing import CliRunner, Result

from tfgen.cli import app, main
from tfgen.validate.formats import FORMATS

runner = CliRunner()


@contextlib.contextmanager
def _priority_kept() -> Iterator[None]:
    """The CLI lowers its own priority while checkov runs (`os.nice`), which a process that exits after
    may do; in this process it would slow the rest of the test session and could not be undone."""
    with mock.patch.object(os, "nice", lambda increment: os.getpriority(os.PRIO_PROCESS, 0)):
        yield


def invoke_validate(*args: str, env: dict[str, str] | None = None) -> Result:
    """`tfgen validate ARGS` in this process; stdout and stderr kept apart."""
    with _priority_kept():
        return runner.invoke(app, ["validate", *args], env=env)


def tfgen(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`tfgen ARGS` through the entry point (`tfgen.cli:main`) in this process, as
    `support.subprocess_cli.tfgen` runs it in a child: in `cwd`, with `COLUMNS=100`, `NO_COLOR=1` and
    `env` over this process's environment (all restored after), stdin empty, the output decoded with
    universal newlines. An exception the entry point lets through is what the interpreter makes of
    it: a traceback on stderr and exit 1. Help text differs in two ways only: its usage line names
    `tfgen` (not `python -m tfgen`) and it wraps at the runner's 80 columns.
    """
    overrides = {"COLUMNS": "100", "NO_COLOR": "1", **(env or {})}
    with (
        runner.isolation(env=overrides) as (stdout, stderr, _),
        contextlib.chdir(cwd),
        mock.patch.object(sys, "argv", ["tfgen", *args]),
        _priority_kept(),
    ):
        try:
            main()
            code = 0
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                print(exc.code, file=sys.stderr)
                code = 1
        except Exception:
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        out, err = stdout.getvalue(), stderr.getvalue()
    return subprocess.CompletedProcess(["tfgen", *args], code, _text(out), _text(err))


def _text(data: bytes) -> str:
    """`data` as `subprocess.run(text=True)` gives it: UTF-8 here, every line ending a newline."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def one_error_line(output: str) -> str:
    """The single `tfgen: error:` line of `output` (fails on anything else, tracebacks included)."""
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tfgen: error: "), output
    assert "Traceback" not in output
    return lines[0]


def one_stderr_line(result: Result) -> str:
    """The single line a run wrote to stderr; fails on an uncaught exception or a traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def report_bytes_in_every_format(tree: Path, *flags: str) -> dict[str, bytes]:
    """Every format's report of ONE `tfgen validate TREE --no-cache FLAGS` run, after checking it exits 1.

    The text report is stdout; the others are written with `-o FORMAT=FILE`, each the report
    `--format FORMAT` prints (tests/test_validate_outputs.py), so checkov runs once for all seven.
    """
    with tempfile.TemporaryDirectory(prefix="tfgen-reports-") as where:
        files = {fmt: Path(where) / f"report.{fmt}" for fmt in FORMATS if fmt != "text"}
        written = [arg for fmt, path in files.items() for arg in ("-o", f"{fmt}={path}")]
        result = invoke_validate(str(tree), "--no-cache", "--format", "text", *written, *flags)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code == 1, result.output
        reports = {fmt: result.stdout_bytes if fmt == "text" else files[fmt].read_bytes() for fmt in FORMATS}
    return reports


def reports_in_every_format(tree: Path, *flags: str) -> dict[str, str]:
    """`report_bytes_in_every_format`, decoded (reports are UTF-8)."""
    return {fmt: data.decode("utf-8") for fmt, data in report_bytes_in_every_format(tree, *flags).items()}


def json_findings(tree: Path, *flags: str) -> list[dict[str, Any]]:
    """The findings of `tfgen validate TREE --no-cache --format json FLAGS`."""
    return json.loads(invoke_validate(str(tree), "--no-cache", "--format", "json", *flags).stdout)["findings"]


def refused(result: Result, exit_code: int = 2) -> str:
    """A run that exited `exit_code` (2: usage or environment) with one `tfgen: error:` line."""
    assert result.exit_code == exit_code, result.output
    return one_error_line(result.output)
