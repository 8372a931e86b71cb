"""JUnit agrees with JSON: a finding tfgen could not evaluate is an `<error>`, a failed check a `<failure>`.

On every level:
JUnit `errors` = JSON `summary.errors`, `failures` + `errors` = `summary.failed`, `skipped` =
`summary.skipped`, `tests` = every finding.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.validate import ROOT
from typer.testing import CliRunner

from tfgen.cli import app

CASE = ROOT / "tests" / "cases" / "report"
runner = CliRunner()
UNEVALUATED = {"TFGEN_SYNTAX", "TFGEN_READ", "TFGEN_INTERNAL"}


def both(tree: Path) -> tuple[dict[str, object], ET.Element]:
    reports = [
        runner.invoke(app, ["validate", str(tree), "--skip-checkov", "--no-cache", "--format", fmt])
        for fmt in ("json", "junit")
    ]
    assert [r.exit_code for r in reports] in ([1, 1], [0, 0]), [r.output for r in reports]
    return json.loads(reports[0].stdout), ET.fromstring(reports[1].stdout)


def assert_agree(data: dict[str, object], suites: ET.Element) -> None:
    summary = data["summary"]
    assert isinstance(summary, dict)
    assert suites.get("errors") == str(summary["errors"])
    assert int(suites.get("failures", "")) + int(suites.get("errors", "")) == summary["failed"]
    assert suites.get("skipped") == str(summary["skipped"])
    assert suites.get("tests") == str(summary["passed"] + summary["failed"] + summary["skipped"])
    assert len(suites.findall(".//error")) == summary["errors"]
    assert len(suites.findall(".//failure")) == summary["failed"] - summary["errors"]
    for suite in suites.findall("testsuite"):
        cases = suite.findall("testcase")
        assert suite.get("tests") == str(len(cases))
        assert suite.get("errors") == str(len(suite.findall("testcase/error")))
        assert suite.get("failures") == str(len(suite.findall("testcase/failure")))
        assert suite.get("skipped") == str(len(suite.findall("testcase/skipped")))
    errors = [f for f in data["findings"] if f["status"] == "failed" and f["id"] in UNEVALUATED]  # type: ignore[index,union-attr]
    assert summary["errors"] == len(errors)
    for case in suites.iter("testcase"):
        kind = case.find("error") if case.find("error") is not None else case.find("failure")
        if kind is not None:
            assert (kind.tag == "error") == (case.get("name", "").split(" ")[0] in UNEVALUATED), ET.tostring(case)


def test_a_syntax_error_is_an_error_in_junit_as_in_json(tmp_path: Path) -> None:
    shutil.copytree(CASE, tmp_path / "tree")
    data, suites = both(tmp_path / "tree")
    assert data["summary"]["errors"] == 1  # type: ignore[index]
    assert suites.get("errors") == "1"
    [error] = suites.findall(".//error")
    assert error.get("type") == "TFGEN_SYNTAX" and "broken.tf:2" in (error.text or "")
    assert_agree(data, suites)


PIECES = {
    "broken": 'resource "aws_sns_topic" "t" {\n  name =\n}\n',
    "failing": (ROOT / "tests" / "cases" / "trust" / "failing.tf").read_text(),
    "clean": 'variable "region" {\n  type = string\n}\n',
    "binary": b"\x00\x01binary",
    "unskipped": 'resource "aws_iam_role" "r" {\n  name = "r"\n  # checkov:skip=TFGEN_IAM_1\n}\n',
    "skipped_syntax": '# checkov:skip=TFGEN_SYNTAX:generated\nresource "x" "y" {\n  a =\n}\n',
}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.lists(st.sampled_from(sorted(PIECES)), min_size=1, max_size=6))
def test_junit_counts_match_the_json_summary_for_any_tree(files: list[str]) -> None:
    tree = Path(tempfile.mkdtemp(prefix="tfgen-junit-"))
    try:
        for index, piece in enumerate(files):
            content = PIECES[piece]
            path = tree / f"d{index % 2}" / f"{piece}{index}.tf"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
        assert_agree(*both(tree))
    finally:
        shutil.rmtree(tree)
