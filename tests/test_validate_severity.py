"""Every finding carries its check's severity: JSON, text, JUnit and SARIF agree with the registry."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from support.severity_cases import severity_tree
from support.subprocess_cli import tfgen

from tfgen.validate.registry import SARIF_LEVEL, SECURITY_SEVERITY, describe


def _run(tmp_path: Path, fmt: str) -> str:
    result = tfgen("validate", "tree", "--skip-checkov", "--no-cache", "--format", fmt, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    return result.stdout


def test_json_text_junit_and_sarif_carry_the_registry_severity(tmp_path: Path) -> None:
    severity_tree(tmp_path, "medium", "critical", "syntax")
    findings = json.loads(_run(tmp_path, "json"))["findings"]
    severities = {f["id"]: f["severity"] for f in findings if f["status"] == "failed"}
    assert severities == {"TFGEN_AUDIT_1": "medium", "TFGEN_SECRETS_2": "critical", "TFGEN_SYNTAX": "high"}
    assert all(f["severity"] == describe(f["id"]).severity for f in findings)

    text = _run(tmp_path, "text")
    assert "tree/medium.tf:11: TFGEN_AUDIT_1 [audit/medium] " in text
    assert "tree/critical.tf:3: TFGEN_SECRETS_2 [secrets/critical] " in text
    assert "tree/syntax.tf:4: TFGEN_SYNTAX [other/high] " in text

    junit = ET.fromstring(_run(tmp_path, "junit"))
    for case in junit.iter("testcase"):
        if case.find("failure") is None and case.find("error") is None:
            continue
        props = {p.get("name"): p.get("value") for p in case.iter("property")}
        finding_id = case.get("name", "").split()[0]
        assert props["severity"] == severities[finding_id], finding_id

    sarif = json.loads(_run(tmp_path, "sarif"))["runs"][0]
    rules = {r["id"]: r for r in sarif["tool"]["driver"]["rules"]}
    for result in sarif["results"]:
        severity = severities[result["ruleId"]]
        assert result["level"] == SARIF_LEVEL[severity] == rules[result["ruleId"]]["defaultConfiguration"]["level"]
        assert rules[result["ruleId"]]["properties"]["security-severity"] == SECURITY_SEVERITY[severity]
