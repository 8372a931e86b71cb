"""The text report says what to fix first: severity, then file:line, within each practice.

One line for a finding that module instances repeat (JSON keeps every instance), one line for
one credential found by several checks at one place, the summary counts by severity, and colour
follows severity.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support.in_process_cli import tfgen as run_tfgen
from support.pty_session import run_on_a_terminal
from support.validate import ROOT, checkov_or_skip

CASE = ROOT / "tests" / "cases" / "fix_first"


def tfgen(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_tfgen("validate", "tree", *args, cwd=cwd, env=env)


@pytest.fixture()
def work(tmp_path: Path) -> Path:
    shutil.copytree(CASE, tmp_path / "tree")
    return tmp_path


def finding_lines(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith("tree/")]


def test_without_checkov_the_most_severe_comes_first_within_a_practice(work: Path) -> None:
    result = tfgen(work, "--skip-checkov", "--no-cache")
    assert result.returncode == 1
    assert finding_lines(result.stdout) == [
        "tree/main.tf:18: TFGEN_SECRETS_1 [secrets/critical] Literal credential in Terraform (known credential "
        "format): AWS access key id in the file (provider.aws)",
        "tree/main.tf:19: TFGEN_SECRETS_1 [secrets/critical] Literal credential in Terraform (known credential "
        "format): AWS secret access key in the file (provider.aws)",
        # high before medium, although versions.tf sorts after modules/
        "tree/versions.tf:5: TFGEN_ENC_4 [encryption/high] S3 backend stores state without encryption: "
        "encrypt = false (terraform.backend.s3)",
        "tree/modules/topic/main.tf:7: TFGEN_ENC_3 [encryption/medium] AWS managed KMS key used where a customer "
        "managed key belongs: kms_master_key_id = 'alias/aws/sns' is an AWS managed key (aws_sns_topic.t)",
    ]
    assert result.stdout.splitlines()[-1].startswith(
        "tfgen validate: FAILED: 3 files, 2 passed, 4 failed (2 critical, 1 high, 1 medium), 0 skipped, 0 errors"
    )


@pytest.mark.checkov
def test_instances_and_engines_of_one_finding_are_one_line_and_json_keeps_each(work: Path) -> None:
    checkov_or_skip()
    cache = ["--cache-dir", str(work / "cache")]
    as_json = json.loads(tfgen(work, "--format", "json", *cache).stdout)
    text = tfgen(work, "--quiet", *cache)  # from the cache the JSON run filled: the same findings
    assert text.returncode == 1
    lines = finding_lines(text.stdout)
    assert lines[:3] == [
        "tree/main.tf:16: CKV_AWS_41 [secrets/critical] Ensure no hard coded AWS access key and secret key exists "
        "in provider (aws.default)",
        "tree/main.tf:18: TFGEN_SECRETS_1, CKV_SECRET_2 [secrets/critical] Literal credential in Terraform (known "
        "credential format): AWS access key id in the file (provider.aws)",
        "tree/main.tf:19: TFGEN_SECRETS_1, CKV_SECRET_6 [secrets/critical] Literal credential in Terraform (known "
        "credential format): AWS secret access key in the file (provider.aws)",
    ]
    instances = [line for line in lines if "CKV_AWS_158" in line]
    assert instances == [
        "tree/modules/topic/main.tf:10: CKV_AWS_158 [encryption/medium] Ensure that CloudWatch Log Group is "
        "encrypted by KMS (aws_cloudwatch_log_group.g) (x3: module.a, module.b, module.c)"
    ]
    failed = [f for f in as_json["findings"] if f["status"] == "failed"]
    assert sorted(f["resource"] for f in failed if f["id"] == "CKV_AWS_158") == [
        f"module.{m}.aws_cloudwatch_log_group.g" for m in "abc"
    ]
    assert {f["id"] for f in failed if (f["file"], f["line"]) == ("main.tf", 18)} == {"TFGEN_SECRETS_1", "CKV_SECRET_2"}
    # every failed finding is on a line; the lines are fewer than the findings
    assert len(lines) < len(failed)
    assert all(any(f["id"] in line and f"tree/{f['file']}:{f['line']}:" in line for line in lines) for f in failed)
    by_severity = {s: sum(f["severity"] == s for f in failed) for s in ("critical", "high", "medium", "low")}
    counts = ", ".join(f"{n} {s}" for s, n in by_severity.items() if n)
    assert f"{len(failed)} failed ({counts})," in text.stdout.splitlines()[-1]


def test_colour_follows_severity(work: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    shown = run_on_a_terminal(["tree", "--skip-checkov", "--no-cache"], env, cwd=work)
    styles = {"critical": "1;31", "high": "31", "medium": "33"}
    for check_id, severity in (("TFGEN_SECRETS_1", "critical"), ("TFGEN_ENC_4", "high"), ("TFGEN_ENC_3", "medium")):
        assert f"\x1b[{styles[severity]}m{check_id}\x1b[0m [" in shown, check_id
