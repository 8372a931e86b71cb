"""TFGEN_IAM_6: broad AWS managed policies attached to roles, users and groups, read through the
evaluator (variables, tfvars, locals, `count`, `for_each`, `format()`, `data "aws_iam_policy"`).
Cases: tests/cases/rules/iam/managed/ and tests/corpus/iam/*/managed_*."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.rule_cases import case_results, case_tree_results

from tfgen.validate.rules.iam import BROAD_MANAGED_POLICIES, broad_managed_policy


def _iam6(case: str) -> list[tuple[str, str | None]]:
    return [
        (r.status, r.message or r.skip_reason)
        for r in case_results("iam", "managed", case)
        if r.rule.id == "TFGEN_IAM_6"
    ]


def test_count_index_reads_every_instance() -> None:
    [(status, message)] = _iam6("count_index")
    assert status == "failed" and "AWSLambda_FullAccess" in (message or "")


def test_a_value_nobody_sets_is_not_evaluated_never_passed() -> None:
    [(status, reason)] = _iam6("unset_variable")
    assert status == "skipped" and (reason or "").startswith("not evaluated: policy_arn: var.policy_arn")


def test_a_policy_the_configuration_manages_passes() -> None:
    assert _iam6("customer_policy") == [("passed", None)]


def test_tfvars_override_the_default() -> None:
    [(status, message)] = _iam6("tfvars_value")
    assert status == "failed" and "SecretsManagerReadWrite" in (message or "")


def test_narrow_managed_policies_and_customer_lookalikes_pass() -> None:
    assert _iam6("not_broad") == [("passed", None), ("passed", None)]


@pytest.mark.parametrize("name", sorted(BROAD_MANAGED_POLICIES))
def test_every_listed_policy_is_broad_in_every_partition_and_path(name: str) -> None:
    for partition in ("aws", "aws-us-gov", "aws-cn", "\0"):
        assert broad_managed_policy(f"arn:{partition}:iam::aws:policy/{name}") == BROAD_MANAGED_POLICIES[name]
    assert broad_managed_policy(f"arn:aws:iam::123456789012:policy/{name}") is None  # a customer's own


@settings(max_examples=100, deadline=None)
@given(service=st.from_regex(r"[A-Z][A-Za-z0-9]{2,20}", fullmatch=True), path=st.sampled_from(["", "job-function/"]))
def test_every_full_access_policy_is_broad(service: str, path: str) -> None:
    """`*FullAccess` and `*_FullAccess` (AWS's two spellings) of any service, at any path."""
    assert broad_managed_policy(f"arn:aws:iam::aws:policy/{path}{service}FullAccess")
    assert broad_managed_policy(f"arn:aws:iam::aws:policy/{path}AWS{service}_FullAccess")
    assert broad_managed_policy(f"arn:aws:iam::aws:policy/{path}{service}ReadOnlyAccess") is None


def test_the_module_s_own_policy_chosen_by_a_condition_or_an_index_is_customer_managed() -> None:
    # an aws_iam_policy of the module is a customer managed policy whatever its ARN: never an AWS managed one
    assert _iam6("customer_policy_conditional") == [("passed", None), ("passed", None)]


def test_each_call_counts_its_own_instances_with_its_own_list() -> None:
    # a call with `count` 0 and an empty list beside one with a longer list: Terraform indexes each
    # call's own list, never another's (no "index out of range")
    results = [r for r in case_tree_results("iam", "managed_calls", "count_per_call") if r.rule.id == "TFGEN_IAM_6"]
    assert [(r.status, r.message) for r in results] == [
        (
            "failed",
            "attaches the AWS managed policy AdministratorAccess: every action on every resource: the whole account",
        )
    ], results
