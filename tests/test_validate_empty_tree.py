"""A tree without Terraform: a pre-commit or CI run passes with a note, unless `--require-files`.

`tfgen validate` in a directory with no Terraform file exits 0 with one line on stderr and a
complete, empty report in the chosen format (a SARIF upload step still finds its file), so CI on
a repository with no Terraform yet does not fail; `--require-files` makes it exit 2. A PATH that
does not exist is exit 2 either way.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfgen.cli import app

runner = CliRunner()


def note(path: Path | str) -> str:
    return (
        f"tfgen: warning: no Terraform files (.tf, .tfvars, .tf.json) under {path}: nothing to check "
        "(--require-files makes this exit 2)\n"
    )


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
def test_no_terraform_files_passes_with_a_note(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "README.md").write_text("# no Terraform here\n")
    out = tmp_path / "report"
    result = runner.invoke(app, ["validate", str(tmp_path), "--no-cache", "--format", fmt, "--output", str(out)])
    assert result.exit_code == 0, result.output
    first, summary = result.stderr.splitlines(keepends=True)
    assert first == note(tmp_path)
    assert summary.startswith("tfgen validate: PASSED: 0 files, 0 passed, 0 failed, 0 skipped, 0 errors")
    text = out.read_text()
    if fmt == "json":
        data = json.loads(text)
        assert data["summary"] == {"files": 0, "passed": 0, "failed": 0, "skipped": 0, "errors": 0}
        assert data["findings"] == [] and data["checkov"]["ran"] is False
    elif fmt == "sarif":
        assert json.loads(text)["runs"][0]["results"] == []
    elif fmt == "junit":
        assert ET.fromstring(text).get("tests") == "0"
    else:
        assert text.splitlines()[-1].startswith("tfgen validate: PASSED: 0 files")


def test_no_checkov_is_needed_when_there_is_nothing_to_check(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["validate", str(tmp_path), "--no-cache", "--checkov", str(tmp_path / "no-such-checkov")]
    )
    assert result.exit_code == 0, result.output


def test_require_files_keeps_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path), "--skip-checkov", "--require-files"])
    assert result.exit_code == 2
    assert result.stderr == f"tfgen: error: no Terraform files (.tf, .tfvars, .tf.json) under {tmp_path}\n"
    assert result.stdout == ""


def test_one_empty_path_among_others_is_a_note_and_the_rest_is_checked(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text('variable "db_password" {\n  default = "literal-password"\n}\n')
    result = runner.invoke(
        app,
        ["validate", str(tmp_path / "empty"), str(tmp_path / "tf"), "--skip-checkov", "--no-cache", "--format", "json"],
    )
    assert result.exit_code == 1
    assert result.stderr == note(tmp_path / "empty")
    assert json.loads(result.stdout)["summary"]["files"] == 1


@pytest.mark.parametrize("extra", [[], ["--require-files"]])
def test_a_path_that_does_not_exist_stays_exit_2(tmp_path: Path, extra: list[str]) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope"), "--skip-checkov", *extra])
    assert result.exit_code == 2
    assert result.stderr == f"tfgen: error: path not found: {tmp_path / 'nope'}\n"
