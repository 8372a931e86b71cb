"""Inline `#checkov:skip=ID:reason`: honoured for tfgen's rules; a skip without a reason fails."""

from __future__ import annotations

from pathlib import Path

from support.validate import write_tree

from tfgen.validate import ValidateOptions, validate_paths

TRUST = """resource "aws_iam_role" "r" {
  name = "r"
  %s
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "proton.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
"""


def run(tmp_path: Path, files: dict[str, str]):
    write_tree(tmp_path, files)
    return validate_paths([str(tmp_path)], ValidateOptions(run_checkov=False))


def test_skip_with_reason_skips_a_tfgen_rule(tmp_path: Path) -> None:
    report = run(
        tmp_path, {"main.tf": TRUST % "#checkov:skip=TFGEN_IAM_1:the role is assumed by a partner-owned pipeline"}
    )
    [finding] = [f for f in report.findings if f.id == "TFGEN_IAM_1"]
    assert (finding.status, finding.skip_reason) == ("skipped", "the role is assumed by a partner-owned pipeline")
    assert report.exit_code == 0


def test_skip_in_another_block_does_not_apply(tmp_path: Path) -> None:
    other = 'resource "aws_sns_topic" "t" {\n  # checkov:skip=TFGEN_IAM_1:wrong place\n  name = "t"\n}\n'
    report = run(tmp_path, {"main.tf": TRUST % "" + other})
    assert [f.status for f in report.findings if f.id == "TFGEN_IAM_1"] == ["failed"]


def test_skip_without_reason_is_a_failed_finding(tmp_path: Path) -> None:
    report = run(tmp_path, {"main.tf": TRUST % "# checkov:skip=TFGEN_IAM_1"})
    [skipped] = [f for f in report.findings if f.id == "TFGEN_IAM_1"]
    assert skipped.status == "skipped" and skipped.skip_reason is None
    [unexplained] = [f for f in report.findings if f.id == "TFGEN_SKIP_REASON"]
    assert (unexplained.status, unexplained.practice, unexplained.line, unexplained.resource) == (
        "failed",
        "iam",
        3,
        "aws_iam_role.r",
    )
    assert report.exit_code == 1


def test_skip_without_reason_for_a_checkov_id_fails_too(tmp_path: Path) -> None:
    text = 'resource "aws_kms_key" "k" {\n  #checkov:skip=CKV_AWS_7:\n  enable_key_rotation = false\n}\n'
    report = run(tmp_path, {"main.tf": text})
    [unexplained] = [f for f in report.findings if f.id == "TFGEN_SKIP_REASON"]
    assert unexplained.practice == "encryption" and "CKV_AWS_7" in unexplained.message


def test_skip_in_tfvars_applies_to_its_line(tmp_path: Path) -> None:
    tfvars = (
        'region = "eu-west-1"\n# checkov:skip=TFGEN_SECRETS_2:a documented test fixture password\ndb_password '
        '= "fixture-only"\napi_token = "also-literal"\n'
    )
    report = run(tmp_path, {"test.tfvars": tfvars})
    verdicts = {f.resource: f.status for f in report.findings if f.id == "TFGEN_SECRETS_2"}
    assert verdicts == {"var.db_password": "skipped", "var.api_token": "failed"}
