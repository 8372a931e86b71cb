"""Whose a checkov failure on the merged tree is: the team's (listed, written) or tfgen's (refused, nothing written).

A failure is the team's in a file the team edited, and in a module whose call the team edited:
checkov evaluates the module's resources with the values that call passes. One real checkov run
(the team's `log_retention_days = 30` in main.tf's `module "cloudtrail"`); the rest feed tfgen a
stand-in checkov's report, since what is under test there is how update reads a failure's file
and address, not what checkov finds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support.fake_checkov import FakeCheckov
from support.init_tree import files, init
from support.validate import checkov_or_skip
from typer.testing import CliRunner

from tfgen.cli import app

CALL = "log_retention_days        = var.log_retention_days"


def _update(out: Path, *extra: str) -> Any:
    return CliRunner().invoke(app, ["update", "--out", str(out), "--no-cache", *extra])


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, path
    path.write_text(text.replace(old, new, 1))


@pytest.mark.checkov
def test_a_failure_in_a_module_the_teams_call_configures_is_the_teams(tmp_path: Path) -> None:
    checkov_or_skip()
    out = tmp_path / "baseline"
    assert init(out)[0] == 0
    _edit(out / "main.tf", CALL, "log_retention_days        = 30")
    result = _update(out)
    assert result.exit_code == 0, result.output
    failures = [line for line in result.output.splitlines() if "checkov fails what you edited" in line]
    assert failures == [
        "tfgen: checkov fails what you edited: CKV_AWS_338 module.cloudtrail.aws_cloudwatch_log_group.this "
        "(modules/cloudtrail/main.tf:9)"
    ], result.output
    assert "log_retention_days        = 30" in (out / "main.tf").read_text()


def _report(path: str, resource: str | None) -> str:
    record: dict[str, Any] = {
        "check_id": "CKV_AWS_338",
        "check_name": "Ensure CloudWatch log groups retains logs for at least 1 year",
        "check_result": {"result": "FAILED"},
        "file_path": f"/{path}",
        "file_abs_path": f"@SCAN@/{path}",
        "file_line_range": [9, 13],
        "resource": resource,
    }
    summary = {"passed": 0, "failed": 1, "skipped": 0, "parsing_errors": 0, "checkov_version": "3.3.30"}
    results = {"passed_checks": [], "failed_checks": [record], "skipped_checks": [], "parsing_errors": []}
    return json.dumps({"check_type": "terraform", "results": results, "summary": summary})


CLOUDTRAIL = "modules/cloudtrail/main.tf"


@pytest.mark.parametrize(
    ("edited", "resource", "teams"),
    [
        # The call is in main.tf: an edit there configures the module, wherever in main.tf it is.
        ("main.tf", 'module.cloudtrail["a"].aws_cloudwatch_log_group.this', True),
        # No address: the file is in a module an edited file calls.
        ("main.tf", None, True),
        # The team edited another module, or a file that calls none: the cloudtrail module's failure is tfgen's.
        ("modules/kms/main.tf", "module.cloudtrail.aws_cloudwatch_log_group.this", False),
        ("variables.tf", None, False),
    ],
)
def test_a_module_failure_is_the_teams_only_where_the_team_edited_its_call(
    tmp_path: Path, edited: str, resource: str | None, teams: bool
) -> None:
    out = tmp_path / "baseline"
    assert init(out)[0] == 0
    target = out / edited
    target.write_text("# team note\n" + target.read_text())
    before = files(out)
    checkov = FakeCheckov(tmp_path / "checkov", _report(CLOUDTRAIL, resource), exit_code=1)
    result = _update(out, "--checkov", str(checkov.path))
    if teams:
        assert result.exit_code == 0, result.output
        assert f"checkov fails what you edited: CKV_AWS_338 {resource} ({CLOUDTRAIL}:9)" in result.output
    else:
        assert result.exit_code == 1, result.output
        assert "checkov fails the merged tree where you did not edit (1): CKV_AWS_338" in result.output
        assert files(out) == before
