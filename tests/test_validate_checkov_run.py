"""The checkov runner: argv, offline environment, and JSON in every shape checkov prints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.fake_checkov import script_checkov

from tfgen.checkov import env as checkov_env
from tfgen.checkov import run as checkov_run
from tfgen.errors import CheckovError

RECORD = {
    "check_id": "CKV_AWS_7",
    "check_name": "Ensure rotation for customer created CMKs is enabled",
    "check_result": {"result": "FAILED"},
    "file_path": "/main.tf",
    "file_abs_path": "/repo/main.tf",
    "file_line_range": [12, 20],
    "resource": "aws_kms_key.data",
}
SKIPPED = {
    **RECORD,
    "check_id": "CKV_AWS_33",
    "check_result": {"result": "SKIPPED", "suppress_comment": "No comment provided"},
}
# a bare summary: what checkov prints when it evaluated nothing
SUMMARY = {
    "passed": 0,
    "failed": 0,
    "skipped": 0,
    "parsing_errors": 0,
    "resource_count": 0,
    "checkov_version": "3.3.30",
}


def report(check_type: str = "terraform", failed=(RECORD,), skipped=(), errors=()) -> dict:
    # checkov's summary counts what its lists hold (a report where they disagree is refused)
    return {
        "check_type": check_type,
        "results": {
            "passed_checks": [],
            "failed_checks": list(failed),
            "skipped_checks": list(skipped),
            "parsing_errors": list(errors),
        },
        "summary": {**SUMMARY, "failed": len(failed), "skipped": len(skipped), "parsing_errors": len(errors)},
    }


def test_one_report_is_a_dict() -> None:
    output = checkov_run.parse_output(json.dumps(report()))
    [result] = output.results
    assert (result.check_id, result.status, result.line, result.abs_path, result.resource) == (
        "CKV_AWS_7",
        "failed",
        12,
        "/repo/main.tf",
        "aws_kms_key.data",
    )
    assert output.version == "3.3.30"


def test_several_reports_are_a_list() -> None:
    output = checkov_run.parse_output(
        json.dumps([report(), report("secrets", failed=[{**RECORD, "check_id": "CKV_SECRET_2"}])])
    )
    assert [r.check_id for r in output.results] == ["CKV_AWS_7", "CKV_SECRET_2"]
    assert [r.check_type for r in output.results] == ["terraform", "secrets"]


def test_several_directories_print_documents_back_to_back() -> None:
    text = (
        json.dumps([report()], indent=4)
        + "\n"
        + json.dumps(report(failed=[{**RECORD, "file_abs_path": "/other/x.tf"}]), indent=4)
    )
    output = checkov_run.parse_output(text)
    assert [r.abs_path for r in output.results] == ["/repo/main.tf", "/other/x.tf"]


def test_bare_summary_means_nothing_was_evaluated() -> None:
    output = checkov_run.parse_output(json.dumps(SUMMARY))
    assert output.results == [] and output.parsing_errors == [] and output.unnamed_parsing_errors == 0


def test_bare_summary_with_parse_errors_is_remembered() -> None:
    output = checkov_run.parse_output(json.dumps({**SUMMARY, "parsing_errors": 2}))
    assert output.unnamed_parsing_errors == 2


def test_parsing_errors_are_returned() -> None:
    output = checkov_run.parse_output(json.dumps(report(failed=(), errors=["/repo/bad.tf"])))
    assert output.parsing_errors == ["/repo/bad.tf"]


def test_skip_without_comment_has_no_reason() -> None:
    output = checkov_run.parse_output(json.dumps(report(failed=(), skipped=[SKIPPED])))
    assert output.results[0].status == "skipped" and output.results[0].suppress_comment is None


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "printed no report"),
        ("   \n", "printed no report"),
        ("Traceback (most recent call last):\n  boom", "not a JSON report"),
        ('{"check_type": "terraform", "results": {}} trailing', "not a JSON report"),
        ("[1, 2]", "where a report belongs"),
        ('{"unexpected": true}', "neither a report nor a summary"),
    ],
)
def test_unreadable_output_is_a_checkov_error(text: str, message: str) -> None:
    with pytest.raises(CheckovError, match=message):
        checkov_run.parse_output(text)


def test_command_is_offline_with_both_frameworks() -> None:
    argv = checkov_run.command(
        Path("/ckv"),
        directories=[Path("/a"), Path("/b")],
        excludes=[Path("/a/fifo.tf")],
        checks=["CKV_AWS_7"],
    )
    assert argv[:3] == ["/ckv", "--directory=/a", "--directory=/b"]
    assert "-d" not in argv and "--directory" not in argv  # checkov reads a config file after either word
    framework = argv.index("--framework")
    assert argv[framework + 1 : framework + 3] == ["terraform", "secrets"]
    joined = " ".join(argv)
    assert " ".join(checkov_env.OFFLINE_FLAGS) in joined
    assert ["--skip-path", r"^/a/fifo\.tf$"] == argv[argv.index("--skip-path") : argv.index("--skip-path") + 2]
    assert argv[argv.index("--check") + 1] == "CKV_AWS_7"
    files = checkov_run.command(Path("/ckv"), files=[Path("/a/x.tf"), Path("/b/y.tf")])
    assert files[1:4] == ["-f", "/a/x.tf", "/b/y.tf"] and not any(a.startswith(("-d", "--directory")) for a in files)


def test_runs_with_the_offline_environment(tmp_path: Path) -> None:
    dump = tmp_path / "seen.json"
    script = script_checkov(
        tmp_path,
        f"json.dump({{'argv': sys.argv, 'env': dict(os.environ)}}, open({str(dump)!r}, "
        f"'w'))\nprint({json.dumps(SUMMARY)!r})",
    )
    [run] = checkov_run.start(script, [tmp_path], [], [])
    run.wait()
    seen = json.loads(dump.read_text())
    for key, value in checkov_env.OFFLINE_ENV.items():
        assert seen["env"][key] == value
    assert "--skip-download" in seen["argv"]


@pytest.mark.parametrize(
    "body,message",
    [
        (
            "sys.stderr.write('2026-01-01 10:00:00,000 [MainThread  ] [ERROR]  something broke\\n'); sys.exit(3)",
            "checkov failed with exit code 3: something broke",
        ),
        ("print('not json at all')", "not a JSON report"),
        ("sys.exit(0)", "exited with code 0 but printed no report"),
        ("sys.exit(1)", "exited with code 1 but printed no report"),
    ],
)
def test_crashes_and_garbage_are_checkov_errors(tmp_path: Path, body: str, message: str) -> None:
    script = script_checkov(tmp_path, body)
    [run] = checkov_run.start(script, [tmp_path], [], [])
    with pytest.raises(CheckovError, match=message):
        run.wait()


def test_a_hang_is_stopped(tmp_path: Path) -> None:
    script = script_checkov(tmp_path, "time.sleep(60)")
    [run] = checkov_run.start(script, [tmp_path], [], [], timeout=1)
    with pytest.raises(CheckovError, match="did not finish within 1 s"):
        run.wait()


def test_a_report_past_the_bound_is_stopped_and_never_read(tmp_path: Path) -> None:
    """checkov's stdout is spooled to disk: a checkov that prints without end is stopped at the bound,
    with one line, long before its timeout, and nothing of it is read into memory."""
    body = "chunk = 'x' * (1 << 16)\nwhile True:\n    sys.stdout.write(chunk)\n    time.sleep(0.01)"
    [run] = checkov_run.start(script_checkov(tmp_path, body), [tmp_path], [], [], timeout=30)
    run.max_output_bytes = 1 << 20
    with pytest.raises(CheckovError, match=r"checkov printed more than 1 MiB of report and was stopped"):
        run.wait()  # not the timeout's message: the bound stopped it
    assert not run.running


def test_the_bound_is_documented() -> None:
    guarantees = (Path(__file__).resolve().parents[1] / "docs" / "guarantees.md").read_text(encoding="utf-8")
    assert f"{checkov_run.MAX_REPORT_BYTES >> 20} MiB" in guarantees


def test_an_executable_that_cannot_run(tmp_path: Path) -> None:
    script = tmp_path / "not-a-program"
    script.write_bytes(b"\x7fELF garbage")
    script.chmod(0o755)
    with pytest.raises(CheckovError, match="cannot run checkov"):
        checkov_run.start(script, [tmp_path], [], [])
