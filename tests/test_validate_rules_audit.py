"""tfgen's `audit` rules: a trail that records every management API call.

The trails are tests/cases/rules/audit/ (one directory each; a failing selector's directory name
ends with the rule it fails)."""

from __future__ import annotations

import pytest
from support.rule_cases import case_names, case_results
from support.validate import statuses

RULES = ("TFGEN_AUDIT_1", "TFGEN_AUDIT_2", "TFGEN_AUDIT_3", "TFGEN_AUDIT_4", "TFGEN_AUDIT_5")


def run(*case: str) -> dict[str, list[str]]:
    results = case_results("audit", *case)
    return {rule: statuses(results, rule) for rule in RULES}


def test_default_trail_passes_every_rule() -> None:
    assert run("trail_default") == {rule: ["passed"] for rule in RULES}


def test_global_service_events_off() -> None:
    assert run("global_service_events_off")["TFGEN_AUDIT_1"] == ["failed"]


@pytest.mark.parametrize("case", case_names("audit", "selectors_that_fail"))
def test_selectors_that_drop_management_or_write_events_fail(case: str) -> None:
    failing = case.rsplit("-", 1)[1]
    assert run("selectors_that_fail", case)[failing] == ["failed"]


@pytest.mark.parametrize("case", case_names("audit", "selectors_that_pass"))
def test_selectors_that_keep_all_management_events_pass(case: str) -> None:
    verdicts = run("selectors_that_pass", case)
    assert verdicts["TFGEN_AUDIT_2"] == verdicts["TFGEN_AUDIT_3"] == verdicts["TFGEN_AUDIT_4"] == ["passed"]


def test_log_group_arn_needs_the_wildcard_suffix_and_a_role() -> None:
    assert run("log_group_without_wildcard")["TFGEN_AUDIT_5"] == ["failed"]
    assert run("log_group_attribute")["TFGEN_AUDIT_5"] == ["failed"]
    assert run("log_group_attribute_with_wildcard")["TFGEN_AUDIT_5"] == ["passed"]
    assert run("log_group_without_role")["TFGEN_AUDIT_5"] == ["failed"]


def test_values_tfgen_cannot_evaluate_are_skipped_with_the_reason() -> None:
    """A toggle nobody sets is neither passed nor failed: 'not evaluated' and why."""
    results = {r.rule.id: r for r in case_results("audit", "selectors_not_evaluated")}
    for rule_id, variable in (
        ("TFGEN_AUDIT_1", "var.global_events"),
        ("TFGEN_AUDIT_2", "var.record_management_events"),
        ("TFGEN_AUDIT_3", "var.record_management_events"),
        ("TFGEN_AUDIT_4", "var.record_management_events"),
    ):
        assert results[rule_id].status == "skipped", rule_id
        assert (
            results[rule_id].skip_reason.startswith("not evaluated: ") and variable in results[rule_id].skip_reason
        ), rule_id
