"""The flags CI users expect: `-f`, `-o`, `-q`, `--debug`, `--quiet --show-skipped`, and "did you mean"."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from support import subprocess_cli
from support.in_process_cli import tfgen as run_tfgen
from support.validate import report_case


@pytest.fixture()
def work(tmp_path: Path) -> Path:
    return report_case(tmp_path)


def tfgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_tfgen("validate", *args, cwd=cwd)


def test_short_flags_are_the_long_ones(work: Path) -> None:
    long = tfgen(work, "tree", "--skip-checkov", "--no-cache", "--format", "json", "--output", "long.json", "--quiet")
    short = tfgen(work, "tree", "--skip-checkov", "--no-cache", "-f", "json", "-o", "short.json")
    assert long.returncode == 2 and "--quiet shapes the text report" in long.stderr
    assert short.returncode == 1
    as_json = json.loads((work / "short.json").read_text())
    assert as_json["summary"]["failed"] == 4
    quiet = tfgen(work, "tree", "--skip-checkov", "--no-cache", "-q")
    assert quiet.stdout == tfgen(work, "tree", "--skip-checkov", "--no-cache", "--quiet").stdout
    assert len(quiet.stdout.splitlines()) == 5  # four failed findings and the summary line


def test_quiet_with_show_skipped_adds_the_skipped_findings(work: Path) -> None:
    quiet = tfgen(work, "tree", "--skip-checkov", "--no-cache", "-q").stdout.splitlines()
    both = tfgen(work, "tree", "--skip-checkov", "--no-cache", "-q", "--show-skipped").stdout.splitlines()
    skipped = [line for line in both if line not in quiet]
    assert len(skipped) == 1 and " TFGEN_IAM_1 [iam/high] skipped: assumed only by our own pipeline;" in skipped[0]
    assert both[-1] == quiet[-1] and not any(line.startswith(("iam ", "  how to fix")) for line in both)


def test_debug_prints_each_steps_time_on_stderr(work: Path) -> None:
    """In a process of its own: the total counts from the start of tfgen, its imports included."""
    plain = subprocess_cli.tfgen("validate", "tree", "--skip-checkov", "--no-cache", "-f", "json", cwd=work)
    debug = subprocess_cli.tfgen("validate", "tree", "--skip-checkov", "--no-cache", "-f", "json", "--debug", cwd=work)
    assert debug.returncode == plain.returncode == 1
    assert json.loads(debug.stdout)["summary"] == json.loads(plain.stdout)["summary"]  # stdout is the report only
    assert "debug" not in plain.stderr
    timed = re.findall(r"^tfgen: debug: (.+?) +([0-9]+\.[0-9]{3}) s$", debug.stderr, re.M)
    steps = [step for step, _ in timed]
    assert steps[:2] == ["ask", "find"] and "tfgen_pass" in steps and "collect (waits for checkov)" in steps
    assert steps[-3:] == ["render", "write", "total (from the start of tfgen)"]
    seconds = [float(s) for _, s in timed]
    assert sum(seconds[:-1]) <= seconds[-1] + 0.002 * len(seconds)  # the steps add up to no more than the total


@pytest.mark.parametrize(
    ("flag", "typed", "hint"),
    [
        ("--check", "TFGEN_IAM_9", "did you mean TFGEN_IAM_"),
        ("--skip-check", "CKV_AWS_1000", "did you mean CKV_AWS_100, "),
        ("--skip-check", "no-such-thing", ""),
    ],
)
def test_an_unknown_id_says_what_was_meant_and_where_ids_are_listed(
    work: Path, flag: str, typed: str, hint: str
) -> None:
    result = tfgen(work, "tree", "--skip-checkov", "--no-cache", flag, typed)
    assert result.returncode == 2 and result.stdout == "" and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"tfgen: error: {flag}: unknown check id '{typed}' ")
    assert hint in result.stderr and result.stderr.rstrip().endswith("`tfgen list-checks` lists every id")
