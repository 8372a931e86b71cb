"""The flags `tfgen init` and `tfgen update` take for the answers the `QUESTIONS` table marks
`flag`: each reaches the saved answers, is checked as its `--config` key is, is listed by
`--help`, and wins over `--config`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfgen.cli import app
from tfgen.init.api import saved_answers
from tfgen.init.config import FLAGGED

GOOD = ["--account-id", "123456789012", "--region", "eu-west-1", "--name", "acme"]
BOOLEANS = ("access_analyzer", "config_recorder", "guardduty", "security_hub", "cis_alarms")


def run(out: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["init", "--non-interactive", "--skip-checkov", "--out", str(out), *GOOD, *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_the_table_flags_the_cis_answers() -> None:
    assert {q.name for q in FLAGGED} == {"regions", *BOOLEANS, "alarm_email"}


def test_each_flag_reaches_the_saved_answers(tmp_path: Path) -> None:
    out = tmp_path / "out"
    flags = ["--regions", "us-east-1, eu-central-1", "--alarm-email", "secops@example.com"]
    code, output = run(out, *flags, *(f"--no-{name.replace('_', '-')}" for name in BOOLEANS))
    assert code == 0, output
    saved = saved_answers(out)
    assert saved["regions"] == ["eu-central-1", "us-east-1"]
    assert saved["alarm_email"] == "secops@example.com"
    assert {name: saved[name] for name in BOOLEANS} == dict.fromkeys(BOOLEANS, False)
    # A re-run keeps the saved answers; a positive flag turns one back on, `none` empties the list.
    code, output = run(out, "--guardduty", "--regions", "none")
    assert code == 0, output
    saved = saved_answers(out)
    assert saved["guardduty"] is True
    assert saved["regions"] == []
    assert saved["security_hub"] is False
    assert saved["alarm_email"] == "secops@example.com"


def test_update_takes_the_same_flags(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(out)[0] == 0
    result = CliRunner().invoke(
        app, ["update", "--skip-checkov", "--out", str(out), "--no-guardduty", "--regions", "us-east-1"]
    )
    assert result.exit_code == 0, result.output
    saved = saved_answers(out)
    assert (saved["guardduty"], saved["regions"]) == (False, ["us-east-1"])
    bad = CliRunner().invoke(app, ["update", "--skip-checkov", "--out", str(out), "--alarm-email", "nope"])
    assert bad.exit_code == 2
    assert bad.output.startswith("tfgen: error: alarm_email:"), bad.output
    assert saved_answers(out) == saved


def test_a_flag_wins_over_config(tmp_path: Path) -> None:
    config = tmp_path / "answers.toml"
    config.write_text('regions = ["us-west-2"]\nguardduty = true\ncis_alarms = false\nalarm_email = "a@example.com"\n')
    out = tmp_path / "out"
    code, output = run(
        out, "--config", str(config), "--regions", "eu-west-1", "--no-guardduty", "--cis-alarms", "--alarm-email", ""
    )
    assert code == 0, output
    saved = saved_answers(out)
    assert (saved["regions"], saved["guardduty"], saved["cis_alarms"], saved["alarm_email"]) == (
        ["eu-west-1"],
        False,
        True,
        "",
    )


@pytest.mark.parametrize(
    ("flag", "value", "field"),
    [
        ("--regions", "eu-west-1,mars-north-1", "regions"),
        ("--regions", "cn-north-1", "regions"),  # another partition than the home region's
        ("--alarm-email", "not-an-address", "alarm_email"),
        ("--alarm-email", "AKIAIOSFODNN7EXAMPLE", "alarm_email"),
    ],
)
def test_a_bad_flag_value_is_one_line_exit_2_nothing_written(tmp_path: Path, flag: str, value: str, field: str) -> None:
    out = tmp_path / "out"
    code, output = run(out, flag, value)
    assert code == 2
    assert output.startswith(f"tfgen: error: {field}:"), output
    assert len(output.strip().splitlines()) == 1
    assert "AKIAIOSFODNN7EXAMPLE" not in output
    assert list(tmp_path.iterdir()) == []


def test_a_boolean_flag_takes_no_value(tmp_path: Path) -> None:
    code, output = run(tmp_path / "out", "--guardduty=maybe")
    assert code == 2
    assert list(tmp_path.iterdir()) == []


def test_help_lists_each_flag() -> None:
    result = CliRunner().invoke(app, ["init", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())  # click wraps the help to the terminal's width
    for question in FLAGGED:
        option = question.option
        listed = f"{option} / --no-{option[2:]}" if question.type == "bool" else f"{option} "
        assert listed in text, option
        assert f"--config key {question.name})" in text
