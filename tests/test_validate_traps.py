"""Every checkov trap in spec/validate.md, with the documented exit code and message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.fake_checkov import FakeCheckov, script_checkov
from support.in_process_cli import invoke_validate, one_stderr_line
from support.validate import checkov_or_skip, write_tree

from tfgen.validate import validate_paths

RESOURCE = 'resource "aws_sns_topic" "t" {\n  name = "t"\n}\n'
# python-hcl2 and Terraform read this; checkov's parser rejects it (quotes inside a directive
# inside a for expression), lists it under parsing_errors and still exits 0.
CHECKOV_UNPARSABLE = (
    'locals {\n  names = join(",", [for s in var.l : "%{ if s != "" }${s}%{ endif '
    '}"])\n}\n\nvariable "l" {\n  type = list(string)\n}\n'
)


def test_missing_path_exits_2(tmp_path: Path) -> None:
    result = invoke_validate(str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert one_stderr_line(result) == f"tfgen: error: path not found: {tmp_path / 'nope'}"


def test_checkov_absent_exits_2_and_says_how_to_fix(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": RESOURCE})
    result = invoke_validate(str(tmp_path), "--checkov", str(tmp_path / "no-checkov"))
    assert result.exit_code == 2
    line = one_stderr_line(result)
    assert line.startswith(
        f"tfgen: error: checkov not found at {tmp_path / 'no-checkov'} (--checkov); run `tfgen setup-checkov`"
    )


def test_checkov_absent_from_the_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"main.tf": RESOURCE})
    monkeypatch.setenv("TFGEN_CHECKOV", str(tmp_path / "gone"))
    result = invoke_validate(str(tmp_path))
    assert result.exit_code == 2 and "(TFGEN_CHECKOV)" in one_stderr_line(result)


@pytest.mark.parametrize(
    "body,message",
    [
        (
            "sys.stderr.write('Traceback (most recent call last):\\nRuntimeError: boom\\n'); sys.exit(3)",
            "tfgen: error: checkov failed with exit code 3: RuntimeError: boom",
        ),
        (
            "print('<html>proxy error</html>'); sys.exit(1)",
            "tfgen: error: checkov printed output that is not a JSON report: '<html>proxy error</html>'",
        ),
        ("sys.exit(0)", "tfgen: error: checkov exited with code 0 but printed no report"),
    ],
)
def test_checkov_crash_or_garbage_exits_2(tmp_path: Path, body: str, message: str) -> None:
    write_tree(tmp_path / "tree", {"main.tf": RESOURCE})
    result = invoke_validate(str(tmp_path / "tree"), "--checkov", str(script_checkov(tmp_path, body)))
    assert result.exit_code == 2
    assert one_stderr_line(result) == message


def test_unknown_option_exits_2(tmp_path: Path) -> None:
    result = invoke_validate(str(tmp_path), "--no-such-flag")
    assert result.exit_code == 2
    assert "No such option: --no-such-flag" in result.output + result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_unknown_check_id_exits_2_instead_of_checking_nothing(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": RESOURCE})
    result = invoke_validate(str(tmp_path), "--check", "CKV_AWS_7,CKV_AWS_99999")
    assert result.exit_code == 2
    assert one_stderr_line(result).startswith(
        "tfgen: error: --check: unknown check id 'CKV_AWS_99999' (checkov would silently check nothing for it)"
    )


def test_bare_summary_from_a_fake_checkov_is_zero_results(tmp_path: Path) -> None:
    summary = {
        "passed": 0,
        "failed": 0,
        "skipped": 0,
        "parsing_errors": 0,
        "resource_count": 0,
        "checkov_version": "3.3.30",
    }
    write_tree(tmp_path / "tree", {"variables.tf": 'variable "x" {\n  type = string\n}\n'})
    result = invoke_validate(
        str(tmp_path / "tree"),
        "--format",
        "json",
        "--checkov",
        str(script_checkov(tmp_path, f"print(json.dumps({summary!r}))")),
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert all(f["engine"] == "tfgen" for f in data["findings"])


@pytest.mark.checkov
def test_bare_summary_from_real_checkov(tmp_path: Path) -> None:
    """Nothing for checkov to evaluate: it prints a bare summary; tfgen still reports its own checks."""
    checkov = checkov_or_skip()
    write_tree(tmp_path, {"variables.tf": 'variable "region" {\n  type = string\n}\n'})
    result = invoke_validate(str(tmp_path), "--format", "json", "--checkov", str(checkov))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["checkov"] == {"ran": True, "version": "3.3.30"}
    assert data["summary"]["failed"] == 0 and data["summary"]["files"] == 1


@pytest.mark.checkov
def test_parse_errors_fail_even_though_checkov_exits_0(tmp_path: Path) -> None:
    checkov_or_skip()
    write_tree(
        tmp_path,
        {
            "ok.tf": RESOURCE,
            "bad.tf": 'resource "aws_sns_topic" "b" {\n  name = \n}\n',
            "directive.tf": CHECKOV_UNPARSABLE,
        },
    )
    report = validate_paths([str(tmp_path)])
    syntax = {(f.file, f.engine): f for f in report.findings if f.id == "TFGEN_SYNTAX"}
    assert set(syntax) == {("bad.tf", "tfgen"), ("directive.tf", "checkov")}
    bad = syntax[("bad.tf", "tfgen")]
    assert bad.status == "failed" and bad.line == 2 and "unexpected" in bad.message
    assert (
        syntax[("directive.tf", "checkov")].title == "checkov could not parse this file; its checks did not run on it"
    )
    # errors: failed findings nothing evaluated (tfgen's parse failure and checkov's), as JUnit's <error>s
    assert report.exit_code == 1 and report.summary.errors == 2
    assert any(f.engine == "checkov" and f.file == "ok.tf" for f in report.findings), "checkov checked the rest"


def test_checkov_parse_failure_can_be_accepted_with_a_reason(tmp_path: Path) -> None:
    """A file checkov lists under parsing_errors (a stand-in checkov naming it in the copy it was
    given, as 3.3.30 does for this directive), skipped inline with a reason: skipped, not failed."""
    write_tree(
        tmp_path / "tree",
        {
            "directive.tf": "# checkov:skip=TFGEN_SYNTAX:checkov 3.3.30 cannot parse this valid directive\n"
            + CHECKOV_UNPARSABLE
        },
    )
    unparsed = {
        "check_type": "terraform",
        "results": {
            "passed_checks": [],
            "failed_checks": [],
            "skipped_checks": [],
            "parsing_errors": ["@SCAN@/directive.tf"],
        },
        "summary": {
            "passed": 0,
            "failed": 0,
            "skipped": 0,
            "parsing_errors": 1,
            "resource_count": 0,
            "checkov_version": "3.3.30",
        },
    }
    fake = FakeCheckov(tmp_path / "fake", json.dumps(unparsed))
    result = invoke_validate(str(tmp_path / "tree"), "--format", "json", "--no-cache", "--checkov", str(fake.path))
    assert result.exit_code == 0, result.stderr
    [finding] = [f for f in json.loads(result.stdout)["findings"] if f["engine"] == "checkov"]
    assert (finding["id"], finding["file"], finding["status"], finding["skip_reason"]) == (
        "TFGEN_SYNTAX",
        "directive.tf",
        "skipped",
        "checkov 3.3.30 cannot parse this valid directive",
    )


@pytest.mark.checkov
def test_several_paths_keep_files_unambiguous(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Several -d print one JSON document each, back to back; -f runs separately."""
    checkov_or_skip()
    write_tree(tmp_path, {"a/main.tf": RESOURCE, "b/main.tf": RESOURCE, "c/extra.tf": RESOURCE})
    monkeypatch.chdir(tmp_path)
    report = validate_paths(["a", "b", "c/extra.tf"])
    checkov_files = {f.file for f in report.findings if f.engine == "checkov"}
    assert checkov_files == {"a/main.tf", "b/main.tf", "c/extra.tf"}
    assert {f.file for f in report.findings if f.id == "CKV_AWS_26"} == checkov_files
