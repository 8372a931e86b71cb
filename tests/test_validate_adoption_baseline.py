"""`--create-baseline` / `--baseline`: a legacy repo adopts tfgen and fails only on new findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.validate import write_tree
from typer.testing import CliRunner

from tfgen.cli import app
from tfgen.errors import UsageError
from tfgen.validate import ValidateOptions, validate_paths

runner = CliRunner()
LEGACY = {
    "main.tf": 'variable "db_password" {\n  default = "legacy-password"\n}\n\nresource "aws_sns_topic" "t" {\n  '
    'name              = "t"\n  kms_master_key_id = "alias/aws/sns"\n}\n',
}


def test_create_then_use_a_baseline(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "repo", LEGACY)
    baseline = tmp_path / "tfgen-baseline.json"
    created = validate_paths([str(tree)], ValidateOptions(run_checkov=False, create_baseline=baseline))
    assert created.exit_code == 0
    data = json.loads(baseline.read_text())
    assert {(e["id"], e["file"], e["resource"]) for e in data["findings"]} == {
        ("TFGEN_SECRETS_2", "main.tf", "var.db_password"),
        ("TFGEN_ENC_3", "main.tf", "aws_sns_topic.t"),
    }
    # Lines move, the accepted findings stay accepted.
    (tree / "main.tf").write_text("# a new comment line\n" + LEGACY["main.tf"])
    again = validate_paths([str(tree)], ValidateOptions(run_checkov=False, baseline=baseline))
    assert again.exit_code == 0
    accepted = [f for f in again.findings if f.baselined]
    assert len(accepted) == 2 and all(
        f.status == "skipped" and f.skip_reason == "accepted in baseline tfgen-baseline.json" for f in accepted
    )
    # A new finding fails.
    (tree / "new.tf").write_text('output "api_token" {\n  value = "new-literal-token"\n}\n')
    newer = validate_paths([str(tree)], ValidateOptions(run_checkov=False, baseline=baseline))
    assert [(f.id, f.file) for f in newer.failed] == [("TFGEN_SECRETS_2", "new.tf")]


def test_unreadable_files_are_never_baselined(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "repo", {"bad.tf": 'resource "x" "y" {\n  a = \n}\n'})
    baseline = tmp_path / "b.json"
    report = validate_paths([str(tree)], ValidateOptions(run_checkov=False, create_baseline=baseline))
    assert json.loads(baseline.read_text())["findings"] == []
    assert [f.id for f in report.failed] == ["TFGEN_SYNTAX"] and report.exit_code == 1


def test_baseline_errors_are_usage_errors(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "repo", LEGACY)
    with pytest.raises(UsageError, match="baseline not found"):
        validate_paths([str(tree)], ValidateOptions(run_checkov=False, baseline=tmp_path / "missing.json"))
    (tmp_path / "junk.json").write_text("[1, 2")
    with pytest.raises(UsageError, match="is not a tfgen baseline"):
        validate_paths([str(tree)], ValidateOptions(run_checkov=False, baseline=tmp_path / "junk.json"))


def test_cli_flags(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "repo", LEGACY)
    baseline = tmp_path / "b.json"
    created = runner.invoke(app, ["validate", str(tree), "--skip-checkov", "--create-baseline", str(baseline)])
    assert created.exit_code == 0, created.output
    used = runner.invoke(app, ["validate", str(tree), "--skip-checkov", "--baseline", str(baseline)])
    assert used.exit_code == 0
    both = runner.invoke(
        app, ["validate", str(tree), "--skip-checkov", "--baseline", str(baseline), "--create-baseline", str(baseline)]
    )
    assert (
        both.exit_code == 0
        and both.stderr.splitlines()[0]
        == f"tfgen: baseline {baseline}: 2 entries (0 added, 0 dropped); it accepts 1 critical findings:"
    )  # an update


def test_a_baseline_is_never_written_over_a_file_being_checked(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "repo", {**LEGACY, "modules/x/vars.tf": 'variable "x" {}\n'})
    before = {p: p.read_bytes() for p in tree.rglob("*.tf")}
    target = str(tree / "modules" / "x" / "vars.tf")
    result = runner.invoke(app, ["validate", str(tree), "--skip-checkov", "--no-cache", "--create-baseline", target])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        f"tfgen: error: --create-baseline {target}: is modules/x/vars.tf, a file being checked; write the baseline "
        "elsewhere"
    )
    assert {p: p.read_bytes() for p in tree.rglob("*.tf")} == before
