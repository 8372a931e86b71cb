"""`tfgen validate` on a tree rendered by `tfgen init` has zero failed findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.validate import checkov_or_skip, write_tree

from tfgen import PRACTICES

pytestmark = pytest.mark.checkov

ANSWERS = [
    {"account_id": "123456789012", "region": "eu-west-1", "name": "demo"},
    {
        "account_id": "210987654321",
        "region": "us-gov-west-1",
        "name": "gov-platform",
        "key_administrator_arns": ["arn:aws-us-gov:iam::210987654321:role/KeyAdmin"],
        "key_user_arns": ["arn:aws-us-gov:iam::210987654321:role/App"],
        "enable_s3_data_events": True,
        "create_component_role": True,
        "environment_account_ids": ["111122223333"],
        "provisioned_services": ["ecs", "lambda", "logs"],
        "secret_names": ["proton/repository-token", "app/db"],
        "secure_parameter_names": ["/app/api-key"],
        "tags": {"CostCenter": "platform"},
        "regions": ["us-gov-east-1"],
        "alarm_email": "security@example.com",
    },
]


def render_into(directory: Path, answers: dict) -> Path:
    from tfgen.init.config import build_config
    from tfgen.init.render import render_baseline

    return write_tree(directory, render_baseline(build_config(answers)))


def test_rendered_baseline_has_zero_failed_findings(tmp_path: Path) -> None:
    """Both renders side by side in one PATH: tfgen starts checkov once per PATH (~2.2 s of CPU
    before it reads a file), and each render is its own module-call group, checked as alone."""
    checkov_or_skip()
    from tfgen.validate import validate_paths

    names = ("defaults", "every-option")
    for name, answers in zip(names, ANSWERS, strict=True):
        render_into(tmp_path / "renders" / name, answers)
    report = validate_paths([str(tmp_path / "renders")])
    assert report.checkov_ran
    failed = [(f.id, f.resource, f"{f.file}:{f.line}", f.message) for f in report.failed]
    assert failed == []
    skipped_without_reason = [
        (f.id, f.resource) for f in report.findings if f.status == "skipped" and not f.skip_reason
    ]
    assert skipped_without_reason == []
    for name in names:
        passed_practices = {f.practice for f in report.findings if f.status == "passed" and f.file.startswith(name)}
        assert set(PRACTICES) <= passed_practices, f"every practice was actually checked in {name}"
