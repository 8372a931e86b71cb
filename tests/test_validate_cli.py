"""`tfgen validate` on the command line: flags -> API -> output -> exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.in_process_cli import invoke_validate
from support.subprocess_cli import tfgen
from support.validate import ROOT, checkov_or_skip, write_tree

CLEAN = {"main.tf": 'variable "region" {\n  type = string\n}\n'}
FAILING = {"main.tf": 'variable "db_password" {\n  default = "literal-password"\n}\n'}


def test_exit_0_when_nothing_fails(tmp_path: Path) -> None:
    write_tree(tmp_path, CLEAN)
    result = invoke_validate(str(tmp_path), "--skip-checkov")
    assert result.exit_code == 0
    assert result.stdout.strip().splitlines()[-1].startswith("tfgen validate: PASSED")


def test_exit_1_on_a_failed_finding(tmp_path: Path) -> None:
    write_tree(tmp_path, FAILING)
    result = invoke_validate(str(tmp_path), "--skip-checkov")
    assert result.exit_code == 1
    assert "TFGEN_SECRETS_2" in result.stdout


def test_default_path_is_the_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, FAILING)
    monkeypatch.chdir(tmp_path)
    result = invoke_validate("--skip-checkov", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["findings"][0]["file"] == "main.tf"


def test_output_file(tmp_path: Path) -> None:
    write_tree(tmp_path / "tree", FAILING)
    out = tmp_path / "reports" / "tfgen.sarif"
    out.parent.mkdir()
    result = invoke_validate(str(tmp_path / "tree"), "--skip-checkov", "--format", "sarif", "--output", str(out))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads(out.read_text())["version"] == "2.1.0"
    assert result.stderr.strip().startswith("tfgen validate: FAILED")


def test_unknown_format_exits_2(tmp_path: Path) -> None:
    write_tree(tmp_path, CLEAN)
    result = tfgen("validate", str(tmp_path), "--format", "xml", cwd=tmp_path)  # the real entry point: one line
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "tfgen: error: Invalid value for '--format' / '-f': Value error, 'xml' is not one of 'text', 'json', "
        "'sarif', 'junit', 'github', 'gitlab', 'checkstyle'."
    )


def test_check_and_skip_check(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **FAILING,
            "trail.tf": 'resource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = "b"\n  '
            "include_global_service_events = false\n}\n",
        },
    )
    only = invoke_validate(str(tmp_path), "--skip-checkov", "--format", "json", "--check", "TFGEN_AUDIT_1")
    assert {f["id"] for f in json.loads(only.stdout)["findings"]} == {"TFGEN_AUDIT_1"}
    skipped = invoke_validate(
        str(tmp_path), "--skip-checkov", "--format", "json", "--skip-check", "TFGEN_SECRETS_2,TFGEN_AUDIT_1"
    )
    assert skipped.exit_code == 0
    assert not {"TFGEN_SECRETS_2", "TFGEN_AUDIT_1"} & {f["id"] for f in json.loads(skipped.stdout)["findings"]}


def test_syntax_findings_cannot_be_deselected(tmp_path: Path) -> None:
    write_tree(tmp_path, CLEAN)
    result = invoke_validate(str(tmp_path), "--skip-checkov", "--skip-check", "TFGEN_SYNTAX")
    assert result.exit_code == 2 and "cannot be selected or skipped" in result.stderr


@pytest.mark.checkov
def test_end_to_end_in_a_real_process(tmp_path: Path) -> None:
    """The installed command, real checkov, JUnit to a file: exit 1, no traceback."""
    checkov_or_skip()
    write_tree(tmp_path / "tree", {"main.tf": 'resource "aws_kms_key" "k" {\n  enable_key_rotation = false\n}\n'})
    out = tmp_path / "junit.xml"
    result = subprocess.run(
        [sys.executable, "-m", "tfgen", "validate", str(tmp_path / "tree"), "--format", "junit", "--output", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "120"},
        timeout=600,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert 'type="CKV_AWS_7"' in out.read_text()
