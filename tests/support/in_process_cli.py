"""The real CLI (`tfgen.cli.app`) run in this process, and the one-line error every refusal must be."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from tfgen.cli import app
from tfgen.validate.formats import FORMATS

runner = CliRunner()


def invoke_validate(*args: str, env: dict[str, str] | None = None) -> Result:
    """`tfgen validate ARGS` in this process; stdout and stderr kept apart."""
    return runner.invoke(app, ["validate", *args], env=env)


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


def reports_in_every_format(tree: Path, *flags: str) -> dict[str, str]:
    """`tfgen validate TREE --no-cache FLAGS` in every format -> stdout, after checking each exits 1."""
    out: dict[str, str] = {}
    for fmt in FORMATS:
        result = invoke_validate(str(tree), "--no-cache", "--format", fmt, *flags)
        assert result.exit_code == 1, result.output
        out[fmt] = result.stdout
    return out


def json_findings(tree: Path, *flags: str) -> list[dict[str, Any]]:
    """The findings of `tfgen validate TREE --no-cache --format json FLAGS`."""
    return json.loads(invoke_validate(str(tree), "--no-cache", "--format", "json", *flags).stdout)["findings"]


def refused(result: Result, exit_code: int = 2) -> str:
    """A run that exited `exit_code` (2: usage or environment) with one `tfgen: error:` line."""
    assert result.exit_code == exit_code, result.output
    return one_error_line(result.output)
