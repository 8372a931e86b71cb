"""A merged tree is checked as init's render is: checkov before writing, `terraform fmt` clean, `tfgen validate` green.

One real checkov run and one `tfgen validate` (with checkov) on a tree the team edited: the
team's own SNS topic fails checkov's encryption check, which update lists as the team's
(in a file the team edited) rather than refusing the update.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from support.init_tree import OTHER_ANSWERS, init
from support.terraform import find_terraform
from support.validate import checkov_or_skip
from typer.testing import CliRunner

from tfgen.cli import app

pytestmark = pytest.mark.checkov

TEAM_TOPIC = '\nresource "aws_sns_topic" "team" {\n  name = "team-alerts"\n}\n'


def test_update_runs_checkov_on_the_merged_tree_and_the_tree_stays_fmt_and_validate_clean(tmp_path: Path) -> None:
    checkov_or_skip()
    out = tmp_path / "baseline"
    assert init(out)[0] == 0
    main = out / "main.tf"
    main.write_text("# team note\n" + main.read_text() + TEAM_TOPIC)

    result = CliRunner().invoke(app, ["update", "--out", str(out), "--no-cache", *OTHER_ANSWERS])
    assert result.exit_code == 0, result.output
    assert "checkov on the merged tree:" in result.output and " 0 failed" not in result.output
    failures = [line for line in result.output.splitlines() if "checkov fails what you edited" in line]
    assert failures and all("aws_sns_topic.team (main.tf:" in line for line in failures), result.output

    terraform = find_terraform()
    if terraform is not None:
        fmt = subprocess.run(
            [str(terraform.executable), "fmt", "-check", "-recursive", "-list=true"],
            cwd=out,
            capture_output=True,
            text=True,
        )
        assert fmt.returncode == 0 and fmt.stdout == "", fmt.stdout + fmt.stderr

    validate = CliRunner().invoke(app, ["validate", str(out), "--no-cache", "--format", "json"])
    report = json.loads(validate.stdout)
    failed = {(f["id"], f["resource"]) for f in report["findings"] if f["status"] == "failed"}
    assert failed and all(resource == "aws_sns_topic.team" for _, resource in failed), failed
