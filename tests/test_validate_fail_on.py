"""`--fail-on SEVERITY` and `--soft-fail`: which failed findings fail the run (exit 1).

On the command line and in `.tfgen.toml`.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.in_process_cli import tfgen
from support.severity_cases import severity_tree

from tfgen.validate.formats import summary_line
from tfgen.validate.registry import SEVERITIES, checks, describe
from tfgen.validate.report import FAILED, PASSED, SKIPPED, UNEVALUATED, Finding, Report


def _validate(tmp_path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return tfgen("validate", "tree", "--skip-checkov", "--no-cache", *flags, cwd=tmp_path)


@pytest.mark.parametrize(("fail_on", "code"), [("low", 1), ("medium", 1), ("high", 0), ("critical", 0)])
def test_a_medium_finding_fails_the_run_only_at_or_below_its_severity(tmp_path: Path, fail_on: str, code: int) -> None:
    severity_tree(tmp_path, "medium")
    result = _validate(tmp_path, "--fail-on", fail_on)
    assert result.returncode == code, result.stdout
    summary = result.stdout.splitlines()[-1]
    if code:
        assert summary.startswith("tfgen validate: FAILED: 1 files, ") and "below --fail-on" not in summary
    else:  # still reported as failed, and the summary says why the run passes
        assert "TFGEN_AUDIT_1 [audit/medium]" in result.stdout
        assert summary.startswith("tfgen validate: PASSED: ") and ", 1 failed (1 medium), " in summary
        assert summary.endswith(f"; 1 failed below --fail-on {fail_on}, not failing the run")


def test_the_default_fails_on_any_failed_finding(tmp_path: Path) -> None:
    severity_tree(tmp_path, "medium")
    assert _validate(tmp_path).returncode == 1


@pytest.mark.parametrize("flags", [["--fail-on", "critical"], ["--soft-fail"]])
def test_an_unread_file_fails_the_run_whatever_the_threshold_but_soft_fail(tmp_path: Path, flags: list[str]) -> None:
    severity_tree(tmp_path, "syntax")
    result = _validate(tmp_path, *flags)
    assert "TFGEN_SYNTAX" in result.stdout
    if flags == ["--soft-fail"]:
        assert result.returncode == 0 and result.stdout.splitlines()[-1].endswith("; --soft-fail: exit 0")
    else:
        assert result.returncode == 1 and "tfgen validate: FAILED" in result.stdout


def test_soft_fail_exits_0_on_findings_and_2_when_tfgen_fails(tmp_path: Path) -> None:
    severity_tree(tmp_path, "critical")
    result = _validate(tmp_path, "--soft-fail", "--format", "json")
    assert result.returncode == 0 and '"failed": 1' in result.stdout
    missing = tfgen("validate", "no-such-dir", "--soft-fail", "--skip-checkov", cwd=tmp_path)
    assert missing.returncode == 2 and len(missing.stderr.splitlines()) == 1


def test_fail_on_and_soft_fail_in_the_settings_file(tmp_path: Path) -> None:
    severity_tree(tmp_path, "medium", "critical")
    (tmp_path / ".tfgen.toml").write_text('[validate]\nfail-on = "critical"\n', encoding="utf-8")
    assert _validate(tmp_path).returncode == 1  # the critical finding
    (tmp_path / "tree" / "critical.tf").unlink()
    passed = _validate(tmp_path)
    assert passed.returncode == 0 and "tfgen: settings from .tfgen.toml [validate]" in passed.stderr
    assert _validate(tmp_path, "--fail-on", "low").returncode == 1  # the flag wins
    (tmp_path / ".tfgen.toml").write_text("[validate]\nsoft-fail = true\n", encoding="utf-8")
    assert _validate(tmp_path).returncode == 0
    (tmp_path / ".tfgen.toml").write_text('[validate]\nfail-on = "severe"\n', encoding="utf-8")
    bad = _validate(tmp_path)
    assert bad.returncode == 2 and bad.stderr.strip() == (
        "tfgen: error: .tfgen.toml:2: fail-on must be one of low, medium, high, critical, not string 'severe'"
    )


_IDS = [*sorted(checks()), "CKV_ACME_1"]  # and a custom checkov check the registry does not know: low
_finding = st.builds(
    lambda check_id, status, line: Finding(
        check_id, describe(check_id).title, status, None, "tfgen", None, "main.tf", line
    ),
    st.sampled_from(_IDS),
    st.sampled_from([PASSED, FAILED, SKIPPED]),
    st.integers(1, 99),
)


@settings(max_examples=200, deadline=None)
@given(findings=st.lists(_finding, max_size=12), fail_on=st.sampled_from(SEVERITIES), soft_fail=st.booleans())
def test_the_exit_code_and_the_summary_follow_the_threshold(
    findings: list[Finding], fail_on: str, soft_fail: bool
) -> None:
    report = Report(findings=findings, files=1, fail_on=fail_on, soft_fail=soft_fail)
    failing = [
        f
        for f in findings
        if f.status == FAILED
        and (
            f.id in UNEVALUATED
            or SEVERITIES.index(checks()[f.id].severity if f.id in checks() else "low") >= SEVERITIES.index(fail_on)
        )
    ]
    assert report.exit_code == (1 if failing and not soft_fail else 0)
    line = summary_line(report)
    assert line.startswith("tfgen validate: FAILED" if failing else "tfgen validate: PASSED")
    below = report.summary.failed - len(failing)
    assert (f"; {below} failed below --fail-on {fail_on}" in line) == (below > 0)
    assert line.endswith("; --soft-fail: exit 0") == (soft_fail and bool(failing))
