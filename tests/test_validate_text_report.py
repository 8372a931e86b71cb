"""The text report: one line per finding, grouped by practice, how to fix it, colour rules.

Each finding is one line `file:line: ID [practice] message`, never wrapped (a terminal may fold
it, but tfgen never breaks a path or a resource name); after a practice's findings, how to fix
each check and where to read more. `--show-skipped` lists skipped findings with their reasons,
`--quiet` prints only the failures and the summary line, colour only on a terminal and never
with `NO_COLOR` (any non-empty value) or `--no-color`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from support.pty_session import run_on_a_terminal
from support.validate import ROOT
from typer.testing import CliRunner

from tfgen.cli import app
from tfgen.printable import printable
from tfgen.validate.formats import read_more
from tfgen.validate.registry import describe

CASE = ROOT / "tests" / "cases" / "report"
LONG_NAME = "aws_iam_role.a_role_name_long_enough_that_a_narrow_terminal_would_have_to_wrap_it"
runner = CliRunner()


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(CASE, tmp_path / "tree")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "tree"


def validate(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, ["validate", "tree", "--skip-checkov", "--no-cache", *args], env=env)


def findings() -> list[dict[str, object]]:
    return json.loads(validate("--format", "json").stdout)["findings"]


def finding_line(f: dict[str, object]) -> str:
    """The start of a finding's line: `file:line: ID [practice/severity] `."""
    return f"tree/{f['file']}:{f['line']}: {f['id']} [{f['practice'] or 'other'}/{f['severity']}] "


def test_one_line_per_finding_grouped_by_practice_then_how_to_fix(tree: Path) -> None:
    result = validate()
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    failed = [f for f in findings() if f["status"] == "failed"]
    assert {f["practice"] for f in failed} == {"secrets", "encryption", "audit", None}
    positions = []
    for f in failed:
        [index] = [i for i, line in enumerate(lines) if line.startswith(finding_line(f))]
        assert str(f["title"]) in lines[index] and (not f["resource"] or f"({f['resource']})" in lines[index])
        positions.append((["iam", "secrets", "encryption", "audit", None].index(f["practice"]), index, f))
    assert [p[1] for p in sorted(positions, key=lambda p: p[:2])] == sorted(p[1] for p in positions), (
        "grouped by practice"
    )
    text = " ".join(line.strip() for line in lines)
    for _, index, f in positions:
        # after the group's findings: how to fix each check, and where to read more
        fix = next(i for i in range(index, len(lines)) if lines[i].strip().startswith(f"how to fix {f['id']}:"))
        group_end = next((i for i in range(index, len(lines)) if not lines[i].strip()), len(lines))
        assert fix < group_end
        url = read_more(str(f["id"]))
        if url:
            assert f"read more: {url}" in text
    assert " ".join(describe("TFGEN_ENC_1").help.split()) in text
    assert lines[-1].startswith(
        "tfgen validate: FAILED: 3 files, 6 passed, 4 failed (1 critical, 1 high, 2 medium), 1 skipped, 1 errors"
    )


def test_no_name_is_broken_and_no_line_ends_in_a_space(tree: Path) -> None:
    for columns in ("20", "80", "200"):
        result = validate("--show-skipped", env={"COLUMNS": columns})
        lines = result.stdout.splitlines()
        assert all(line == line.rstrip() for line in lines), [line for line in lines if line != line.rstrip()]
        assert any(LONG_NAME in line for line in lines), columns
        for url in {read_more(str(f["id"])) for f in findings() if f["status"] == "failed"} - {None}:
            assert any(str(url) in line for line in lines), (columns, url)
        # the help text is wrapped at the width, between words only
        if columns == "80":
            assert max(len(line) for line in lines if line.startswith("  ") and "http" not in line) <= 80


def test_skipped_findings_and_their_reasons_only_with_show_skipped(tree: Path) -> None:
    reason = "assumed only by our own pipeline"
    assert reason not in validate().stdout
    shown = validate("--show-skipped").stdout.splitlines()
    [line] = [line for line in shown if reason in line]
    assert line.startswith(f"tree/main.tf:8: TFGEN_IAM_1 [iam/high] skipped: {reason}")
    assert LONG_NAME in line


def test_quiet_prints_only_the_failures_and_the_summary(tree: Path) -> None:
    full = validate()
    quiet = validate("--quiet")
    assert quiet.exit_code == full.exit_code == 1
    failed = [f for f in findings() if f["status"] == "failed"]
    lines = quiet.stdout.splitlines()
    assert len(lines) == len(failed) + 1
    assert all(any(line.startswith(finding_line(f)) for line in lines) for f in failed)
    assert lines[-1] == full.stdout.splitlines()[-1]
    assert quiet.stderr == ""


def test_quiet_and_show_skipped_shape_the_text_report_only(tree: Path) -> None:
    for flag in ("--quiet", "--show-skipped"):
        result = validate("--format", "json", flag)
        assert result.exit_code == 2
        assert result.stderr == f"tfgen: error: {flag} shapes the text report; --format json is always complete\n"


def test_colour_on_a_terminal_unless_no_color(tree: Path) -> None:
    base = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    args = ["tree", "--skip-checkov", "--no-cache"]
    assert "\x1b[" in run_on_a_terminal(args, base)
    assert "\x1b[" in run_on_a_terminal(args, {**base, "NO_COLOR": ""}), "an empty NO_COLOR does not count"
    for plain in (run_on_a_terminal(args, {**base, "NO_COLOR": "1"}), run_on_a_terminal([*args, "--no-color"], base)):
        assert "\x1b[" not in plain
        assert re.search(r"^tree/main\.tf:2: TFGEN_SECRETS_2 \[secrets/critical\] ", plain, re.MULTILINE)
    assert "\x1b[" not in validate().stdout, "not a terminal: no colour"


def test_odd_names_stay_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tree").mkdir()
    name = "new\nline \x1b[31m.tf"
    shutil.copy(ROOT / "tests" / "cases" / "trust" / "failing.tf", tmp_path / "tree" / name)
    monkeypatch.chdir(tmp_path)
    lines = validate().stdout.splitlines()
    assert any(line.startswith(f"tree/{printable(name)}:2: TFGEN_SECRETS_2 [secrets/critical] ") for line in lines), (
        lines
    )
