"""`tfgen explain ID`: a check's practice, severity, why, how to fix and example, from the registry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import subprocess_cli
from support.in_process_cli import tfgen

from tfgen.validate.explain import lookup, to_text
from tfgen.validate.registry import checks


def test_a_tfgen_rule_is_explained_in_full(tmp_path: Path) -> None:
    """`python -m tfgen explain`, as a user types it; the other tests read the entry point in process."""
    result = subprocess_cli.tfgen("explain", "TFGEN_IAM_1", cwd=tmp_path)
    rule = checks()["TFGEN_IAM_1"]
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        f"TFGEN_IAM_1: {rule.title}",
        "  engine: tfgen",
        "  practice: iam (Use IAM to control access)",
        "  severity: high",
    ]
    flat = " ".join(line.strip() for line in lines)
    assert f"why: {' '.join(rule.why.split())}" in flat and f"how to fix: {rule.fix}" in flat
    assert "example:" in lines and all(f"    {line}" in lines for line in rule.example.splitlines())
    assert lines[-1].startswith("read more: https://docs.aws.amazon.com/")


def test_a_checkov_id_is_explained_from_the_registry(tmp_path: Path) -> None:
    result = tfgen("explain", "ckv_aws_18", cwd=tmp_path)  # ids in any case, as typed from a report
    assert result.returncode == 0
    assert result.stdout.splitlines()[:4] == [
        "CKV_AWS_18: Ensure the S3 bucket has access logging enabled",
        "  engine: checkov",
        "  practice: audit (Use CloudTrail to view and log API calls)",
        "  severity: medium",
    ]
    assert (
        "read more: https://github.com/bridgecrewio/checkov/blob/3.3.30/checkov/terraform/checks/graph_checks/aws/S3BucketLogging.json"
        in result.stdout
    )


def test_json_is_the_object_list_checks_prints(tmp_path: Path) -> None:
    listed = {c["id"]: c for c in json.loads(tfgen("list-checks", "--format", "json", cwd=tmp_path).stdout)["checks"]}
    for check_id in ("TFGEN_SECRETS_1", "TFGEN_SYNTAX", "CKV_AWS_7", "CKV_SECRET_6"):
        result = tfgen("explain", check_id, "--format", "json", cwd=tmp_path)
        assert result.returncode == 0 and json.loads(result.stdout) == listed[check_id]


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("CKV_AWS_1000", "did you mean CKV_AWS_100, "),
        ("TFGEN_IAM_9", "did you mean TFGEN_IAM_"),
        ("no-such-thing", "`tfgen list-checks` lists every id"),
    ],
)
def test_an_unknown_id_is_one_line_exit_2_with_a_hint(typed: str, hint: str, tmp_path: Path) -> None:
    result = tfgen("explain", typed, cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"tfgen: error: unknown check id '{typed}'; ") and hint in result.stderr
    assert len(result.stderr.splitlines()) == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(check_id=st.sampled_from(sorted(checks())), width=st.integers(min_value=20, max_value=200))
def test_every_check_explains_without_trailing_spaces_and_keeps_urls_whole(check_id: str, width: int) -> None:
    check = lookup(check_id.lower())
    text = to_text(check, width=width)
    assert check.id == check_id and text.startswith(f"{check_id}: ")
    assert f"  severity: {check.severity}\n" in text
    assert not any(line.endswith(" ") for line in text.splitlines())
    url = check.url or ""
    assert url in text.replace("\n", " ").replace("   ", " ")
