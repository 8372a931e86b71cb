"""The labelled corpus: every failing case fails its practice, no passing case does.

One `tfgen validate` run (real checkov) over tests/corpus, shared by every test here and
across pytest-xdist workers; each case is then one assertion.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from support.validate import CORPUS, checkov_or_skip, shared_json

from tfgen import PRACTICES

pytestmark = pytest.mark.checkov

EXPECT = re.compile(r"#\s*expect:\s*(.+)")
PASSES = re.compile(r"#\s*passes:\s*(.+)")


def _passes(case_dir: str) -> list[str]:
    """The rule ids a pass case names on its `# passes:` line: each must be a passed finding of it."""
    ids: list[str] = []
    for path in sorted((CORPUS / case_dir).iterdir()):
        if path.is_file() and path.suffix in (".tf", ".tfvars"):
            for match in PASSES.finditer(path.read_text()):
                ids.extend(x.strip() for x in match.group(1).split(","))
    return ids


def _cases() -> list[tuple[str, str, str, list[str]]]:
    cases = []
    for case in sorted(p for p in CORPUS.glob("*/*/*") if p.is_dir()):
        practice, kind, name = case.relative_to(CORPUS).parts
        expected: list[str] | None = None
        for path in sorted(case.iterdir()):
            if path.is_file() and path.suffix in (".tf", ".tfvars"):
                match = EXPECT.search(path.read_text())
                if match:
                    expected = (
                        [] if match.group(1).strip() == "none" else [x.strip() for x in match.group(1).split(",")]
                    )
        assert expected is not None, f"{case} has no '# expect:' line"
        cases.append((practice, kind, name, expected))
    return cases


CASES = _cases()


@pytest.fixture(scope="session")
def corpus_report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    checkov_or_skip()

    def compute() -> dict:
        from tfgen.validate import validate_paths

        return validate_paths([str(CORPUS)]).to_json()

    return shared_json(tmp_path_factory, "tfgen-corpus-report", compute)


def _findings(report: dict, practice: str, kind: str, name: str) -> list[dict]:
    prefix = f"{practice}/{kind}/{name}/"
    return [f for f in report["findings"] if f["file"].startswith(prefix)]


def test_corpus_size_per_practice() -> None:
    counts = Counter((practice, kind) for practice, kind, _, _ in CASES)
    for practice in PRACTICES:
        assert counts[(practice, "fail")] >= 8, practice
        assert counts[(practice, "pass")] >= 2, practice


def test_corpus_uses_varied_forms() -> None:
    texts = "\n".join(
        p.read_text() for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".tf", ".tfvars", ".json")
    )
    for form in (
        "jsonencode(",
        "<<-EOT",
        "<<EOT",
        'data "aws_iam_policy_document"',
        "file(",
        "default ",
        "locals {",
        'provider "aws"',
        "ephemeral ",
    ):
        assert form in texts, form
    suffixes = {p.name.split(".", 1)[-1] for p in CORPUS.rglob("*") if p.is_file()}
    assert {"tf", "tfvars", "tf.json"} <= suffixes


@pytest.mark.parametrize(
    "practice,kind,name,expected", [c for c in CASES if c[1] == "fail"], ids=lambda v: v if isinstance(v, str) else None
)
def test_failing_case(corpus_report: dict, practice: str, kind: str, name: str, expected: list[str]) -> None:
    findings = _findings(corpus_report, practice, kind, name)
    failed = [f for f in findings if f["status"] == "failed"]
    assert any(f["practice"] == practice for f in failed), f"no failed {practice} finding: {failed}"
    missing = set(expected) - {f["id"] for f in failed}
    assert not missing, f"expected failed ids missing: {sorted(missing)}; got {sorted({f['id'] for f in failed})}"


@pytest.mark.parametrize(
    "practice,kind,name,expected", [c for c in CASES if c[1] == "pass"], ids=lambda v: v if isinstance(v, str) else None
)
def test_passing_case(corpus_report: dict, practice: str, kind: str, name: str, expected: list[str]) -> None:
    findings = _findings(corpus_report, practice, kind, name)
    assert findings, "the case produced no findings at all"
    wrong = [f for f in findings if f["status"] == "failed" and f["practice"] == practice]
    assert not wrong, wrong
    assert any(f["status"] == "passed" and f["practice"] == practice for f in findings)
    passed = {f["id"] for f in findings if f["status"] == "passed"}
    missing = set(_passes(f"{practice}/{kind}/{name}")) - passed
    assert not missing, f"ids on the '# passes:' line did not pass: {sorted(missing)}"


def score(report: dict) -> dict[str, dict[str, int]]:
    """Per practice: failing cases, those whose expected ids all failed (recall), passing cases, and
    the failed findings of the practice in its passing cases (false positives), by engine."""
    table = {p: {"fail": 0, "recalled": 0, "pass": 0, "fp_tfgen": 0, "fp_checkov": 0} for p in PRACTICES}
    for practice, kind, name, expected in CASES:
        row = table[practice]
        findings = _findings(report, practice, kind, name)
        row[kind] += 1
        if kind == "fail":
            row["recalled"] += set(expected) <= {f["id"] for f in findings if f["status"] == "failed"}
        else:
            for f in findings:
                if f["status"] == "failed" and f["practice"] == practice:
                    row[f"fp_{f['engine']}"] += 1
    return table


def score_table(table: dict[str, dict[str, int]]) -> str:
    lines = [
        "| practice | failing cases | recalled | recall | passing cases | false positives (tfgen + checkov) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for practice, row in table.items():
        recall = 100.0 * row["recalled"] / row["fail"] if row["fail"] else 100.0
        fp = row["fp_tfgen"] + row["fp_checkov"]
        lines.append(
            f"| {practice} | {row['fail']} | {row['recalled']} | {recall:.0f}% | {row['pass']} | "
            f"{fp} ({row['fp_tfgen']} + {row['fp_checkov']}) |"
        )
    return "\n".join(lines)


def test_recall_is_complete_and_no_passing_case_fails_per_practice(corpus_report: dict) -> None:
    """The corpus scored as a whole: every practice recalls all its failing cases (each expected id
    failed) and reports no failed finding of the practice in its passing cases. The table is
    printed (`pytest -s`) and is the assertion message, as docs/checks.md's "tfgen's rules" quotes it."""
    table = score(corpus_report)
    shown = score_table(table)
    print(f"\n{shown}")
    assert all(row["fail"] and row["recalled"] == row["fail"] for row in table.values()), shown
    assert all(row["fp_tfgen"] + row["fp_checkov"] == 0 for row in table.values()), shown


def test_the_score_counts_a_miss_and_a_false_positive() -> None:
    """`score` itself, on a report where one failing case misses an id and one passing case fails."""
    fail_case = next(c for c in CASES if c[1] == "fail" and c[3])
    pass_case = next(c for c in CASES if c[1] == "pass" and c[0] == fail_case[0])
    practice = fail_case[0]
    missing = {
        "id": "TFGEN_NOT_THIS",
        "status": "failed",
        "practice": practice,
        "engine": "tfgen",
        "file": f"{practice}/fail/{fail_case[2]}/main.tf",
    }
    wrong = {
        "id": fail_case[3][0],
        "status": "failed",
        "practice": practice,
        "engine": "checkov",
        "file": f"{practice}/pass/{pass_case[2]}/main.tf",
    }
    row = score({"findings": [missing, wrong]})[practice]
    assert row["recalled"] == 0 and row["fp_checkov"] == 1 and row["fp_tfgen"] == 0
    assert f"| {practice} | {row['fail']} | 0 | 0% |" in score_table({practice: row})


def test_corpus_report_shape(corpus_report: dict) -> None:
    assert corpus_report["tool"] == "tfgen"
    assert set(corpus_report["summary"]) == {"files", "passed", "failed", "skipped", "errors"}
    assert corpus_report["summary"]["errors"] == 0
    engines = {f["engine"] for f in corpus_report["findings"]}
    assert engines == {"tfgen", "checkov"}
    keys = [(f["file"], f["line"]) for f in corpus_report["findings"]]
    assert keys == sorted(keys), "findings are sorted by file and line"


def test_checkov_false_positives_are_corrected(corpus_report: dict) -> None:
    """The documented false positives show up as skipped with tfgen's reason, never as failed."""
    by_case = {
        "iam/pass/key_policy_resource_star/": {"CKV_AWS_109", "CKV_AWS_111", "CKV_AWS_356"},
        "audit/pass/trail_log_group_by_arn/": {"CKV2_AWS_10"},
        "encryption/pass/access_log_target_sse_s3/": {"CKV_AWS_145"},
    }
    for prefix, ids in by_case.items():
        corrected = {
            f["id"]
            for f in corpus_report["findings"]
            if f["file"].startswith(prefix)
            and f["status"] == "skipped"
            and (f["skip_reason"] or "").startswith("tfgen:")
        }
        assert ids <= corrected, (prefix, corrected)


def test_every_expect_id_is_known() -> None:
    from tfgen.validate.registry import known_ids

    known = known_ids()
    for practice, kind, name, expected in CASES:
        assert set(expected) | set(_passes(f"{practice}/{kind}/{name}")) <= known, name


def test_every_rule_has_a_failing_and_a_passing_case() -> None:
    """The corpus is keyed by rule id: a rule without a case of each kind is not proven."""
    from tfgen.validate.registry import ordered

    failing = {i for _, kind, _, expected in CASES if kind == "fail" for i in expected}
    passing = {i for practice, kind, name, _ in CASES if kind == "pass" for i in _passes(f"{practice}/{kind}/{name}")}
    rules = {c.id for c in ordered("tfgen") if c.practice is not None}
    assert len(rules) >= 16
    assert not rules - failing, f"rules without a failing case: {sorted(rules - failing)}"
    assert not rules - passing, f"rules without a passing case: {sorted(rules - passing)}"
