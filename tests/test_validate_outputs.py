"""`--output FORMAT=PATH`, repeatable: several reports from one run, each the report `--format FORMAT` prints.

The `--format` report still goes to stdout (or to a plain `--output PATH`); a value names a format
only when it starts with one of them and `=`. Two reports to one file, two plain PATHs, an empty
PATH, or a report over a file being checked are one line, exit 2, and nothing written.
"""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from support import subprocess_cli
from support.in_process_cli import tfgen as run_tfgen
from support.validate import report_case


@pytest.fixture()
def work(tmp_path: Path) -> Path:
    return report_case(tmp_path)


def tfgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_tfgen("validate", "tree", "--skip-checkov", "--no-cache", *args, cwd=cwd)


def _findings(document: dict[str, object]) -> list[object]:
    return [{k: v for k, v in f.items() if k != "duration_seconds"} for f in document["findings"]]  # type: ignore[attr-defined, union-attr]


def test_several_reports_from_one_run_are_each_the_formats_own_report(work: Path) -> None:
    """`python -m tfgen` writes them, as in CI."""
    many = subprocess_cli.tfgen(
        "validate",
        "tree",
        "--skip-checkov",
        "--no-cache",
        "-o",
        "sarif=r.sarif",
        "--output",
        "json=r.json",
        "-o",
        "junit=r.xml",
        "-o",
        "text=r.txt",
        cwd=work,
    )
    assert many.returncode == 1, many.stderr
    assert many.stdout.splitlines()[-1].startswith("tfgen validate: FAILED")  # the text report, as without -o
    assert "FAILED" not in many.stderr  # stdout has the verdict: stderr does not repeat it
    alone = json.loads(tfgen(work, "-f", "json").stdout)
    written = json.loads((work / "r.json").read_text())
    assert _findings(written) == _findings(alone) and written["summary"]["failed"] == 4
    sarif = json.loads((work / "r.sarif").read_text())
    flagged = {r["ruleId"] for r in sarif["runs"][0]["results"] if not r.get("suppressions")}
    assert flagged == {f["id"] for f in written["findings"] if f["status"] == "failed"}
    suites = ET.parse(work / "r.xml").getroot()
    assert sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites.iter("testsuite")) == 4
    assert (work / "r.txt").read_text() == many.stdout  # no colour in a file, the same lines


def test_a_plain_output_takes_the_format_report_and_the_verdict_goes_to_stderr(work: Path) -> None:
    both = tfgen(work, "-f", "json", "-o", "r.json", "-o", "checkstyle=r.xml")
    assert both.returncode == 1 and both.stdout == ""
    assert both.stderr.splitlines()[-1].startswith("tfgen validate: FAILED")
    assert json.loads((work / "r.json").read_text())["summary"]["failed"] == 4
    assert ET.parse(work / "r.xml").getroot().tag == "checkstyle"


def test_quiet_shapes_a_text_report_written_to_a_file(work: Path) -> None:
    quiet = tfgen(work, "-f", "json", "-o", "text=r.txt", "-q")
    assert quiet.returncode == 1, quiet.stderr
    assert json.loads(quiet.stdout)["summary"]["failed"] == 4
    assert len((work / "r.txt").read_text().splitlines()) == 5  # four failed findings and the summary line


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("-o", "a.txt", "-o", "b.txt"), "--output b.txt: --output a.txt takes the --format report already;"),
        (("-o", "json=r.out", "-o", "sarif=./r.out"), "--output sarif=./r.out: json=r.out writes that file already;"),
        (("-o", "sarif="), "--output sarif=: no path after '='; write --output FORMAT=PATH"),
        (("-o", "json=r.json", "-o", "sarif=tree/main.tf"), "--output tree/main.tf: is main.tf, a file being checked;"),
        (("-f", "json", "-o", "sarif=r.sarif", "--quiet"), "--quiet shapes the text report;"),
    ],
)
def test_a_bad_output_is_one_line_and_nothing_is_written(work: Path, args: tuple[str, ...], error: str) -> None:
    before = sorted(p.name for p in work.rglob("*"))
    main = (work / "tree" / "main.tf").read_bytes()
    result = tfgen(work, *args)
    assert result.returncode == 2 and result.stdout == "", result.stderr
    assert result.stderr.splitlines() == [result.stderr.strip()] and error in result.stderr, result.stderr
    assert sorted(p.name for p in work.rglob("*")) == before and (work / "tree" / "main.tf").read_bytes() == main


def test_a_file_named_like_a_format_is_written_with_a_dot_slash(work: Path) -> None:
    result = tfgen(work, "-f", "json", "-o", "./json=x")
    assert result.returncode == 1 and (work / "json=x").is_file()


def test_a_settings_file_lists_reports_relative_to_itself(work: Path) -> None:
    (work / "ci").mkdir()
    (work / ".tfgen.toml").write_text('[validate]\noutput = ["sarif=ci/r.sarif", "json=ci/r.json"]\n')
    (work / "tree" / "sub").mkdir()
    result = run_tfgen("validate", "..", "--skip-checkov", "--no-cache", cwd=work / "tree")
    assert result.returncode == 1, result.stderr
    assert json.loads((work / "ci" / "r.json").read_text())["summary"]["failed"] == 4
    assert json.loads((work / "ci" / "r.sarif").read_text())["version"] == "2.1.0"
    outside = work / ".tfgen.toml"
    outside.write_text('[validate]\noutput = ["json=ci/r.json", "sarif=../elsewhere.sarif"]\n')
    refused = run_tfgen(
        "validate", "tree", "--skip-checkov", "--no-cache", cwd=work, env={"XDG_CONFIG_HOME": str(work)}
    )
    assert refused.returncode == 2 and "output writes outside the repository ('sarif=" in refused.stderr
    assert not (work.parent / "elsewhere.sarif").exists()
