"""Report formats: json (the spec contract), sarif (GitHub code scanning), junit, text."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.validate import write_tree

from tfgen import PRACTICES
from tfgen.validate import ValidateOptions, validate_paths
from tfgen.validate.formats import render, summary_line
from tfgen.validate.report import Finding, Report

TREE = {
    "main.tf": (
        'variable "db_password" {\n  default = "literal-password"\n}\n\n'
        'resource "aws_iam_role" "r" {\n  name = "r"\n  # checkov:skip=TFGEN_IAM_1:assumed only by our own pipeline\n'
        '  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Service = '
        '"proton.amazonaws.com" }, Action = "sts:AssumeRole" }] })\n}\n\n'
        'resource "aws_s3_bucket_server_side_encryption_configuration" "e" {\n  bucket = "b"\n  rule {\n'
        '    apply_server_side_encryption_by_default {\n      sse_algorithm = "AES256"\n    }\n  }\n}\n'
    ),
    "modules/trail/main.tf": 'resource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = "b"\n  '
    "include_global_service_events = false\n}\n",
    "broken.tf": 'resource "aws_sns_topic" "t" {\n  name = \n}\n',
}


@pytest.fixture()
def report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write_tree(tmp_path / "repo", TREE)
    monkeypatch.chdir(tmp_path)
    result = validate_paths(["repo"], ValidateOptions(run_checkov=False))
    # a checkov-style finding too, so every engine is represented
    result.findings.append(
        Finding(
            "CKV_AWS_7",
            "Ensure rotation for customer created CMKs is enabled",
            "failed",
            "encryption",
            "checkov",
            "aws_kms_key.k",
            "main.tf",
            4,
            abs_path=str(tmp_path / "repo" / "main.tf"),
        )
    )
    result.findings.sort(key=Finding.sort_key)
    return result


def test_json_is_the_contract(report) -> None:
    data = json.loads(render(report, "json"))
    assert data["tool"] == "tfgen" and data["version"] == "0.1.0"
    assert set(data["summary"]) == {"files", "passed", "failed", "skipped", "errors"}
    assert data["summary"]["files"] == 3 and data["summary"]["errors"] == 1
    contract = {"id", "title", "status", "practice", "engine", "resource", "file", "line", "skip_reason"}
    for finding in data["findings"]:
        assert contract <= set(finding)
        assert finding["status"] in ("passed", "failed", "skipped")
        assert finding["practice"] in (*PRACTICES, None)
        assert finding["engine"] in ("tfgen", "checkov")
        assert isinstance(finding["line"], int) and finding["line"] >= 1
        assert not finding["file"].startswith("/") and not finding["file"].startswith("repo/")
    counted = {s: sum(f["status"] == s for f in data["findings"]) for s in ("passed", "failed", "skipped")}
    assert counted == {k: data["summary"][k] for k in counted}
    [syntax] = [f for f in data["findings"] if f["id"] == "TFGEN_SYNTAX"]
    assert (syntax["file"], syntax["line"], syntax["status"], syntax["practice"], syntax["engine"]) == (
        "broken.tf",
        2,
        "failed",
        None,
        "tfgen",
    )
    assert "unexpected" in syntax["message"]
    [skipped] = [f for f in data["findings"] if f["id"] == "TFGEN_IAM_1"]
    assert (skipped["status"], skipped["skip_reason"]) == ("skipped", "assumed only by our own pipeline")
    assert [f["file"] for f in data["findings"]] == sorted(f["file"] for f in data["findings"])


TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
FINDINGS = st.builds(
    Finding,
    id=st.sampled_from(["TFGEN_SECRETS_1", "CKV_AWS_7", "CKV2_AWS_64"]) | TEXT,
    title=TEXT,
    status=st.sampled_from(["passed", "failed", "skipped"]),
    practice=st.sampled_from([*PRACTICES, None]),
    engine=st.sampled_from(["tfgen", "checkov"]),
    resource=st.none() | TEXT,
    file=TEXT,
    line=st.integers(1, 10**6),
    skip_reason=st.none() | TEXT,
    message=st.none() | TEXT,
    baselined=st.booleans(),
)


@given(
    findings=st.lists(FINDINGS, max_size=4),
    warnings=st.lists(TEXT, max_size=2),
    changed_since=st.none() | TEXT,
)
def test_json_holds_the_report_with_each_finding_on_a_line_of_its_own(
    findings: list[Finding], warnings: list[str], changed_since: str | None
) -> None:
    report = Report(findings, files=len(findings), warnings=warnings, changed_since=changed_since)
    text = render(report, "json")
    assert json.loads(text) == report.to_json()
    lines = text.splitlines()
    # a finding's every field on one line, so `grep` and a diff name the finding; the rest indented
    assert [json.loads(line.strip().removesuffix(",")) for line in lines if line.startswith("    {")] == [
        f.to_json() for f in findings
    ]
    assert lines[0] == "{" and lines[-1] == "}" and all(line.startswith("  ") for line in lines[1:-1])


def test_sarif_is_what_github_code_scanning_accepts(report) -> None:
    data = json.loads(render(report, "sarif"))
    assert data["version"] == "2.1.0" and data["$schema"].endswith("sarif-2.1.0.json")
    [run] = data["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "tfgen" and driver["version"]
    rules = driver["rules"]
    assert len({r["id"] for r in rules}) == len(rules)
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert "security" in rule["properties"]["tags"]
        assert float(rule["properties"]["security-severity"]) > 0
    failed_ids = {f.id for f in report.failed}
    assert {r["ruleId"] for r in run["results"] if "suppressions" not in r} == failed_ids
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        [location] = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"].startswith("repo/"), "URIs are relative to the checkout (cwd)"
        assert physical["region"]["startLine"] >= 1
    suppressed = [r for r in run["results"] if "suppressions" in r]
    assert [s["suppressions"][0]["justification"] for s in suppressed] == ["assumed only by our own pipeline"]
    assert not any(r["ruleId"] == "TFGEN_SECRETS_1" for r in run["results"]), "passed findings are not results"


def test_junit_has_one_case_per_check_and_resource(report) -> None:
    root = ET.fromstring(render(report, "junit"))
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites)[:4] == list(PRACTICES)
    cases = root.findall(".//testcase")
    assert len(cases) == len(report.findings) == int(root.get("tests"))
    # the file that does not parse is an <error>, not a <failure> (tests/test_validate_junit_counts.py)
    assert len(root.findall(".//failure")) == report.summary.failed - report.summary.errors == int(root.get("failures"))
    assert len(root.findall(".//error")) == report.summary.errors == int(root.get("errors")) == 1
    assert len(root.findall(".//skipped")) == report.summary.skipped
    names = {c.get("name") for c in cases}
    assert "TFGEN_ENC_1 aws_s3_bucket_server_side_encryption_configuration.e" in names
    assert "CKV_AWS_7 aws_kms_key.k" in names


def test_text_is_grouped_by_practice_with_one_summary_line(report) -> None:
    text = render(report, "text")
    assert "\x1b[" not in text, "no colour when not on a terminal"
    headings = [
        line.split(" ")[0] for line in text.splitlines() if re.match(r"^(iam|secrets|encryption|audit|other) ", line)
    ]
    assert headings == ["iam", "secrets", "encryption", "audit", "other"]
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[-1] == summary_line(report)
    assert lines[-1].startswith("tfgen validate: FAILED: 3 files, ")
    assert "TFGEN_AUDIT_1" in text and "modules/trail/main.tf:4" in text
    assert "\x1b[" in render(report, "text", color=True)


def test_clean_report_says_passed(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": 'variable "region" {\n  type = string\n}\n'})
    report = validate_paths([str(tmp_path)], ValidateOptions(run_checkov=False))
    assert summary_line(report).startswith("tfgen validate: PASSED: 1 files, ")
    assert report.exit_code == 0
