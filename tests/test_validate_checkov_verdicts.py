"""A tree checkov did not check never passes: empty, contradictory or malformed reports exit 2.

The fake checkov (tests/support/fake_checkov.py) prints whatever a test gives it: the thing
under test is tfgen's reading of checkov's output, not what checkov finds. The examples run it as
a process; the properties, hundreds of runs, get the same answers in this process
(`InProcessCheckov`). One test runs the real checkov on the same trees.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support.fake_checkov import FakeCheckov, InProcessCheckov
from support.in_process_cli import one_stderr_line
from support.validate import checkov_or_skip
from typer.testing import CliRunner

from tfgen.cli import app

CASES = Path(__file__).parent / "checkov_cases"
CHECKABLE = CASES / "checkable"  # one aws_sns_topic: checkov has checks for it
UNCHECKABLE = CASES / "uncheckable"  # locals and a null_resource only
CONDITIONAL = CASES / "conditional"  # an aws_sns_topic behind `count = var.enabled ? 1 : 0`
SUMMARY = {
    "passed": 0,
    "failed": 0,
    "skipped": 0,
    "parsing_errors": 0,
    "resource_count": 0,
    "checkov_version": "3.3.30",
}

runner = CliRunner()


def record(check_id: Any = "CKV_AWS_26", **extra: Any) -> dict[str, Any]:
    return {
        "check_id": check_id,
        "check_name": "Ensure all data stored in the SNS topic is encrypted",
        "check_result": {"result": "PASSED"},
        "file_path": "/main.tf",
        "file_abs_path": "@SCAN@/main.tf",
        "file_line_range": [3, 6],
        "resource": "aws_sns_topic.alerts",
        **extra,
    }


def report(passed: Any = (), failed: Any = (), skipped: Any = (), **summary: int) -> dict[str, Any]:
    lists = {"passed_checks": list(passed), "failed_checks": list(failed), "skipped_checks": list(skipped)}
    counts = {
        "passed": len(lists["passed_checks"]),
        "failed": len(lists["failed_checks"]),
        "skipped": len(lists["skipped_checks"]),
        **summary,
    }
    return {"check_type": "terraform", "results": {**lists, "parsing_errors": []}, "summary": {**SUMMARY, **counts}}


def validate(tree: Path, checkov: FakeCheckov | InProcessCheckov, *flags: str):
    # --no-cache: every run must ask the fake, whose script (and so its cache identity) never changes
    return runner.invoke(app, ["validate", str(tree), "--no-cache", "--checkov", str(checkov.path), *flags])


NOTHING_EVALUATED = {
    "empty list": [],
    "no results": {"check_type": "terraform", "results": {}},
    "bare summary": SUMMARY,
    "empty lists": report(),
    "two empty reports": [report(), {**report(), "check_type": "secrets"}],
}


@pytest.mark.parametrize("output", NOTHING_EVALUATED.values(), ids=NOTHING_EVALUATED.keys())
def test_nothing_evaluated_on_a_checkable_tree_exits_2(tmp_path: Path, output: Any) -> None:
    result = validate(CHECKABLE, FakeCheckov(tmp_path, json.dumps(output)))
    assert result.exit_code == 2, result.output
    line = one_stderr_line(result)
    assert line.startswith("tfgen: error: checkov evaluated no check, yet main.tf:3 holds aws_sns_topic.alerts"), line


@pytest.mark.parametrize("tree", [UNCHECKABLE, CONDITIONAL], ids=["uncheckable", "conditional"])
@pytest.mark.parametrize("output", NOTHING_EVALUATED.values(), ids=NOTHING_EVALUATED.keys())
def test_nothing_evaluated_where_nothing_is_certain_is_a_pass(tmp_path: Path, tree: Path, output: Any) -> None:
    result = validate(tree, FakeCheckov(tmp_path, json.dumps(output)))
    assert result.exit_code == 0, result.stderr


def test_a_check_selection_with_nothing_for_the_tree_may_evaluate_nothing(tmp_path: Path) -> None:
    # CKV_AWS_1 is for IAM policies: checkov rightly evaluates nothing on an SNS topic
    result = validate(CHECKABLE, FakeCheckov(tmp_path, json.dumps(report())), "--check", "CKV_AWS_1")
    assert result.exit_code == 0, result.stderr
    result = validate(CHECKABLE, FakeCheckov(tmp_path, json.dumps(report())), "--skip-check", "CKV_AWS_26")
    assert result.exit_code == 0, result.stderr  # the SNS topic's only specific check is skipped
    result = validate(CHECKABLE, FakeCheckov(tmp_path, json.dumps(report())), "--check", "CKV_AWS_26")
    assert result.exit_code == 2, result.stderr


def test_a_file_path_is_held_to_the_same_rule(tmp_path: Path) -> None:
    result = validate(CHECKABLE / "main.tf", FakeCheckov(tmp_path, json.dumps(report())))
    assert result.exit_code == 2, result.output
    assert one_stderr_line(result).startswith(
        "tfgen: error: checkov evaluated no check, yet main.tf:3 holds aws_sns_topic.alerts"
    )


def test_a_real_result_passes_and_fails_as_it_says(tmp_path: Path) -> None:
    fake = FakeCheckov(tmp_path, json.dumps(report(passed=[record()])))
    assert validate(CHECKABLE, fake).exit_code == 0
    fake.set(json.dumps(report(failed=[record(check_result={"result": "FAILED"})])), exit_code=1)
    assert validate(CHECKABLE, fake).exit_code == 1


MALFORMED = {
    "check_id not a string": (report(failed=[record(check_id=7)]), "check_id"),
    "check_id missing": (report(failed=[{k: v for k, v in record().items() if k != "check_id"}]), "check_id"),
    "record not an object": (report(failed=["CKV_AWS_26"]), "record"),
    "failed_checks not a list": ({**report(), "results": {"failed_checks": {"0": record()}}}, "failed_checks"),
    "failed_checks a number": ({**report(), "results": {"failed_checks": 3}}, "failed_checks"),
    "results not an object": ({**report(), "results": [record()]}, "results"),
    "resource not a string": (report(passed=[record(resource=["x"])]), "resource"),
    "line range of strings": (report(passed=[record(file_line_range=["3", "6"])]), "file_line_range"),
    "summary counts a failure it does not list": (
        {**report(passed=[record()]), "summary": {**SUMMARY, "passed": 1, "failed": 2}},
        "summary",
    ),
    "bare summary counting failures": ({**SUMMARY, "failed": 3}, "summary"),
    # checkov writes absolute paths; a relative one is refused, not dropped as "outside" (a failure would pass)
    "failure at a relative path": (report(failed=[record(file_abs_path="main.tf")]), "file_abs_path"),
    "parsing_errors not a list": (
        {**report(passed=[record()]), "results": {**report(passed=[record()])["results"], "parsing_errors": "x"}},
        "parsing_errors",
    ),
}


def test_results_only_about_files_outside_count_as_nothing_evaluated(tmp_path: Path) -> None:
    """A report whose every result names a file outside the PATH evaluated nothing inside it (exit 2)."""
    output = report(failed=[record(file_abs_path="/elsewhere/x.tf")])
    result = validate(CHECKABLE, FakeCheckov(tmp_path, json.dumps(output), exit_code=1))
    assert _verdict_of(result) == 2 and "evaluated no check" in result.output, result.output


@pytest.mark.parametrize("output,what", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_report_exits_2(tmp_path: Path, output: Any, what: str) -> None:
    result = validate(CHECKABLE, FakeCheckov(tmp_path, json.dumps(output)))
    assert result.exit_code == 2, result.output
    line = one_stderr_line(result)
    assert line.startswith("tfgen: error: checkov printed a report tfgen cannot trust:") and what in line, line


def test_init_self_check_refuses_an_empty_report(tmp_path: Path) -> None:
    fake = FakeCheckov(tmp_path / "fake", json.dumps(report()))
    out = tmp_path / "baseline"
    result = runner.invoke(
        app,
        [
            "init",
            "--non-interactive",
            "--account-id",
            "123456789012",
            "--region",
            "eu-west-1",
            "--name",
            "acme",
            "--out",
            str(out),
            "--no-cache",
            "--checkov",
            str(fake.path),
        ],
    )
    assert result.exit_code == 2, result.output
    line = one_stderr_line(result)
    assert line.startswith("tfgen: error: checkov evaluated no check, yet "), line
    assert not out.exists(), "nothing is written when the self-check cannot be trusted"


@pytest.mark.checkov
def test_the_real_checkov_evaluates_the_checkable_tree(tmp_path: Path) -> None:
    checkov = checkov_or_skip()
    result = runner.invoke(
        app, ["validate", str(CHECKABLE), "--no-cache", "--format", "json", "--checkov", str(checkov)]
    )
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["findings"]
    assert any(f["engine"] == "checkov" and f["id"] == "CKV_AWS_26" and f["status"] == "passed" for f in findings)
    # checkov really evaluates nothing in either tree, and that passes. Both side by side in one PATH,
    # each its own module-call group in one checkov run (checkov's start is ~2.2 CPU s): the run's
    # files hold no block checkov certainly evaluates, as each tree's alone do.
    nothing = tmp_path / "nothing-to-check"
    for tree in (UNCHECKABLE, CONDITIONAL):
        shutil.copytree(tree, nothing / tree.name)
    result = runner.invoke(app, ["validate", str(nothing), "--no-cache", "--format", "json", "--checkov", str(checkov)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["checkov"]["ran"] is True and report["summary"]["files"] == 2, report
    assert not [f for f in report["findings"] if f["engine"] == "checkov"]


# --- property: whatever checkov prints, the right verdict or one line and exit 2 -----------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "results",
                    "summary",
                    "passed",
                    "failed",
                    "check_id",
                    "failed_checks",
                    "passed_checks",
                    "parsing_errors",
                    "check_type",
                    "x",
                ]
            )
            | st.text(max_size=6),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)
IDS = st.sampled_from(["CKV_AWS_26", "CKV_AWS_7", "CKV2_AWS_64", "CKV_SECRET_2", "CKV_CUSTOM_1"]) | st.text(
    min_size=1, max_size=8
)
TEXT = st.text(max_size=12)
RECORDS = st.fixed_dictionaries(
    {
        "check_id": IDS,
        "file_abs_path": st.sampled_from(["@SCAN@/main.tf", "/elsewhere/x.tf", "@SCAN@/../x", "", "@SCAN@/\x00"])
        | TEXT,
    },
    optional={
        "check_name": TEXT,
        "resource": TEXT,
        "file_path": TEXT,
        "file_line_range": st.lists(st.integers(-5, 10**9), min_size=2, max_size=2),
        "check_result": st.fixed_dictionaries({}, optional={"suppress_comment": TEXT | st.none()}),
    },
)


def _inside_the_path(rec: dict[str, Any]) -> bool:
    """Whether a record names a path below the scanned directory, as tfgen reads it: results about
    files outside are dropped and do not count as evaluated. Without `file_abs_path`, tfgen places
    `file_path` in the scanned directory (checkov_run)."""
    abs_path = rec["file_abs_path"] or "@SCAN@/" + rec.get("file_path", "").lstrip("/")
    if not abs_path.startswith("@SCAN@/"):
        return False
    return posixpath.normpath("/scan/" + abs_path[len("@SCAN@/") :]).startswith("/scan/")


@st.composite
def valid_outputs(draw: st.DrawFn) -> tuple[str, int]:
    """A report checkov could print, with random content; and the verdict it must give."""
    reports = [
        report(
            passed=draw(st.lists(RECORDS, max_size=3)),
            failed=draw(st.lists(RECORDS, max_size=3)),
            skipped=draw(st.lists(RECORDS, max_size=2)),
        )
        for _ in range(draw(st.integers(1, 2)))
    ]
    records = [
        rec for r in reports for k in ("passed_checks", "failed_checks", "skipped_checks") for rec in r["results"][k]
    ]
    no_file_name = any("\0" in rec.get(k, "") for rec in records for k in ("file_abs_path", "file_path"))
    relative = any(rec["file_abs_path"] and not rec["file_abs_path"].startswith(("/", "@SCAN@")) for rec in records)
    # Results about files outside the scanned PATH are dropped and do not count as evaluated.
    # (without file_abs_path, checkov's file_path is read relative to the scanned directory)
    inside = [rec for rec in records if _inside_the_path(rec)]
    failed = sum(rec in inside for r in reports for rec in r["results"]["failed_checks"])
    verdict = 2 if not inside or no_file_name or relative else (1 if failed else 0)
    document: Any = reports[0] if len(reports) == 1 and draw(st.booleans()) else reports
    return json.dumps(document, indent=draw(st.sampled_from([None, 4]))), verdict


def _verdict_of(result) -> int:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output + result.stderr
    if result.exit_code == 2:
        one_stderr_line(result)
    return result.exit_code


PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def checkov(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> InProcessCheckov:
    """One in-process stand-in for every example of a property (each example sets its answer)."""
    return InProcessCheckov(tmp_path / "checkov", monkeypatch)


@PROPERTY
@given(value=JSON_VALUES, exit_code=st.sampled_from([0, 1]))
def test_any_json_value_is_never_a_pass(checkov: InProcessCheckov, value: Any, exit_code: int) -> None:
    checkov.set(json.dumps(value), exit_code=exit_code)
    result = validate(CHECKABLE, checkov)
    assert _verdict_of(result) == 2 and checkov.runs == 1, result.output


@PROPERTY
@given(
    case=valid_outputs(),
    exit_code=st.sampled_from([0, 1]),
    output_format=st.sampled_from(["text", "json", "sarif", "junit"]),
)
@example(
    case=(json.dumps(report(skipped=[record(resource="\n0")])), 0), exit_code=0, output_format="text"
)  # a newline in a resource name
@example(
    case=(json.dumps(report(failed=[record(file_abs_path="@SCAN@/\x00")])), 2), exit_code=1, output_format="text"
)  # a NUL in a path: a refusal, not a ValueError
@example(
    case=(json.dumps(report(failed=[record(file_abs_path="/elsewhere/x.tf")])), 2), exit_code=0, output_format="text"
)  # outside only: nothing evaluated
@example(
    case=(json.dumps(report(skipped=[{"check_id": "CKV_AWS_26", "file_abs_path": "", "file_path": "0"}])), 0),
    exit_code=0,
    output_format="text",
)  # a path below the PATH counts, as tfgen reads it (`_inside_the_path`)
def test_valid_shapes_give_the_verdict_they_hold(
    checkov: InProcessCheckov, case: tuple[str, int], exit_code: int, output_format: str
) -> None:
    text, verdict = case
    checkov.set(text, exit_code=exit_code)
    result = validate(CHECKABLE, checkov, "--format", output_format)
    assert _verdict_of(result) == verdict and checkov.runs == 1, result.output


@PROPERTY
@given(case=valid_outputs(), cut=st.floats(0, 1, exclude_max=True))
def test_truncated_output_is_never_trusted(checkov: InProcessCheckov, case: tuple[str, int], cut: float) -> None:
    text, verdict = case
    prefix = text[: int(len(text) * cut)]
    try:
        complete = json.loads(prefix) == json.loads(text)
    except json.JSONDecodeError:
        complete = False
    checkov.set(prefix)
    result = validate(CHECKABLE, checkov)
    assert _verdict_of(result) == (verdict if complete else 2) and checkov.runs == 1, result.output
    assert re.match(r"^tfgen: error: checkov ", result.stderr) or complete
