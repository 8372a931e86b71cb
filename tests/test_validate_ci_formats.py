"""`--format github`, `gitlab` and `checkstyle`: what each CI consumer reads, checked against its own rules.

GitLab Code Quality: the rules of GitLab's own validator, `app/validators/json_schemas/codeclimate.json`
in gitlabhq/gitlabhq (commit 33827e3a534757eead42e6c17460564c49ff1c3a), restated below with the
severities GitLab's documentation lists. Checkstyle: the rules of checkstyle's report schema,
`config/checkstyle-report-1.0.0.xsd` in checkstyle/checkstyle (commit 439ed4bf39aa2b49c65a2ccef5eaba80df4cc47e),
restated as checks on the parsed XML (no XSD validator is installed). GitHub: the workflow-command
syntax and escaping the Actions runner documents (`::LEVEL file=F,line=N,title=T::message`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema  # installed with the test extras (moto[server] -> openapi-spec-validator)
import pytest
from support.subprocess_cli import tfgen
from support.validate import ROOT

CASE = ROOT / "tests" / "cases" / "fix_first"
EXPECTED = {  # (id, file from the working directory, line, severity) of every failed finding without checkov
    ("TFGEN_SECRETS_1", "tree/main.tf", 18, "critical"),
    ("TFGEN_SECRETS_1", "tree/main.tf", 19, "critical"),
    ("TFGEN_ENC_4", "tree/versions.tf", 5, "high"),
    ("TFGEN_ENC_3", "tree/modules/topic/main.tf", 7, "medium"),
}

GITLAB_CODE_QUALITY = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string"},
            "check_name": {"type": "string"},
            "fingerprint": {"type": "string"},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string"},
                    "lines": {"type": "object", "required": ["begin"], "properties": {"begin": {"type": "integer"}}},
                },
            },
        },
    },
}


@pytest.fixture()
def work(tmp_path: Path) -> Path:
    shutil.copytree(CASE, tmp_path / "tree")
    return tmp_path


def report(work: Path, fmt: str, *flags: str) -> subprocess.CompletedProcess[str]:
    result = tfgen("validate", "tree", "--skip-checkov", "--no-cache", "--format", fmt, *flags, cwd=work)
    assert result.returncode == 1, result.stderr
    return result


def test_gitlab_code_quality(work: Path) -> None:
    issues = json.loads(report(work, "gitlab").stdout)
    jsonschema.Draft202012Validator(GITLAB_CODE_QUALITY).validate(issues)
    severity = {"blocker": "critical", "critical": "high", "major": "medium", "minor": "low"}
    got = {
        (i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"], severity[i["severity"]])
        for i in issues
    }
    assert got == EXPECTED
    assert len({i["fingerprint"] for i in issues}) == len(issues), "GitLab merges issues with one fingerprint"
    # the fingerprint does not move with the line: a finding is not new because code above it changed
    main = work / "tree" / "main.tf"
    main.write_text("# a comment\n" + main.read_text())
    moved = json.loads(report(work, "gitlab").stdout)
    assert {i["fingerprint"] for i in moved} == {i["fingerprint"] for i in issues}


def test_checkstyle(work: Path) -> None:
    root = ET.fromstring(report(work, "checkstyle").stdout)
    assert root.tag == "checkstyle" and set(root.attrib) <= {"version"}
    got = set()
    for child in root:
        assert child.tag in ("file", "error", "exception")
        assert child.tag == "file" and child.get("name")
        for error in child:
            assert error.tag in ("error", "exception")
            assert set(error.attrib) <= {"column", "line", "message", "severity", "source"}
            assert re.fullmatch(r"[1-9][0-9]*", error.get("line", "1"))
            assert error.get("severity") in ("error", "warning", "info")
            got.add((error.get("source"), child.get("name"), int(error.get("line", "0")), error.get("severity")))
    level = {"critical": "error", "high": "error", "medium": "warning", "low": "info"}
    assert got == {(i, f, n, level[s]) for i, f, n, s in EXPECTED}


def test_github_workflow_commands(work: Path) -> None:
    lines = report(work, "github").stdout.splitlines()
    assert lines[-1].startswith("tfgen validate: FAILED: ")
    command = re.compile(r"::(error|warning|notice) file=([^,:]+),line=([0-9]+),title=([^:]+)::(.+)")
    parsed = [command.fullmatch(line) for line in lines[:-1]]
    assert all(parsed), lines
    got = [(m.group(4).split(" ")[0], m.group(2), int(m.group(3)), m.group(1)) for m in parsed if m]
    # most severe first: GitHub shows only the first annotations of a step
    assert got == [
        ("TFGEN_SECRETS_1", "tree/main.tf", 18, "error"),
        ("TFGEN_SECRETS_1", "tree/main.tf", 19, "error"),
        ("TFGEN_ENC_4", "tree/versions.tf", 5, "error"),
        ("TFGEN_ENC_3", "tree/modules/topic/main.tf", 7, "warning"),
    ]
    assert parsed[0] and parsed[0].group(4) == "TFGEN_SECRETS_1 [secrets/critical]"
    # a message's `%`, CR and LF are escaped; `:` and `,` only in properties
    assert "AWS access key id in the file (provider.aws)" in parsed[0].group(5)
