"""TFGEN_IAM_5 (privilege escalation) and the explicit Deny that takes a grant back (TFGEN_IAM_4, _5).

The cases are tests/cases/rules/iam/escalation_wildcards/ (every wildcard form of an escalation
action) and tests/cases/rules/iam/deny/; the corpus holds the failing and passing shapes seen in
public code (tests/corpus/iam/*/escalation_*)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.rule_cases import case_names, case_results
from support.validate import results_for, statuses

from tfgen.validate.policies import Condition
from tfgen.validate.rules.iam import CODE_RUNNING_ACTIONS, ESCALATION_ACTIONS, ESCALATION_SOURCES, narrows_nothing


def _policy(*statements: dict) -> str:
    """An aws_iam_policy whose policy is `statements` as a heredoc JSON document."""
    document = json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2)
    return f'resource "aws_iam_policy" "p" {{\n  name   = "p"\n  policy = <<-EOT\n{document}\n  EOT\n}}\n'


def _escalation(statements: list[dict]) -> list[str]:
    return statuses(results_for(_policy(*statements)), "TFGEN_IAM_5")


@pytest.mark.parametrize("form", case_names("iam", "escalation_wildcards"))
def test_wildcard_actions_grant_the_escalation_actions(form: str) -> None:
    assert statuses(case_results("iam", "escalation_wildcards", form), "TFGEN_IAM_5") == ["failed"], form


def _covering_patterns(action: str) -> st.SearchStrategy[str]:
    """Patterns IAM matches `action` with: a prefix of it and `*`, its service and `*`, `*` itself,
    with `?` for one letter, in any letter case."""
    service, name = action.split(":")
    prefixes = st.integers(0, len(name)).map(lambda n: f"{service}:{name[:n]}*")
    single = st.integers(0, len(name) - 1).map(lambda n: f"{service}:{name[:n]}?{name[n + 1 :]}")
    return st.one_of(st.just("*"), prefixes, single).flatmap(lambda p: st.sampled_from([p, p.lower(), p.upper()]))


@settings(max_examples=60, deadline=None)
@given(data=st.data(), action=st.sampled_from(sorted(ESCALATION_ACTIONS)))
def test_every_pattern_covering_an_escalation_action_fails_on_star(data: st.DataObject, action: str) -> None:
    pattern = data.draw(_covering_patterns(action))
    assert _escalation([{"Effect": "Allow", "Action": pattern, "Resource": "*"}]) == ["failed"], pattern


@settings(max_examples=40, deadline=None)
@given(
    actions=st.lists(st.sampled_from(sorted(ESCALATION_ACTIONS) + ["iam:PassRole"]), min_size=1, max_size=4),
    code=st.sampled_from(sorted(CODE_RUNNING_ACTIONS)),
    deny_form=st.sampled_from(["same", "iam:*", "*"]),
)
def test_an_unconditional_deny_of_the_same_actions_takes_every_grant_back(
    actions: list[str], code: str, deny_form: str
) -> None:
    denied = actions if deny_form == "same" else deny_form
    statements = [
        {"Effect": "Allow", "Action": [*actions, code], "Resource": "*"},
        {"Effect": "Deny", "Action": denied, "Resource": "*"},
    ]
    if deny_form == "*":  # everything denied: code-running actions too
        assert _escalation(statements) == ["passed"]
        return
    results = results_for(_policy(*statements))
    assert statuses(results, "TFGEN_IAM_5") == ["passed"], statements
    assert statuses(results, "TFGEN_IAM_4") in ([], ["passed"])


def test_the_issue_example_allow_and_deny_iam_star_passes_both_rules() -> None:
    results = case_results("iam", "deny", "same_policy")
    assert statuses(results, "TFGEN_IAM_4") == ["passed"]
    assert statuses(results, "TFGEN_IAM_5") == ["passed"]


@pytest.mark.parametrize("case", ["conditional_deny", "narrower_deny"])
def test_a_deny_that_covers_less_than_the_allow_takes_nothing_back(case: str) -> None:
    results = case_results("iam", "deny", case)
    assert statuses(results, "TFGEN_IAM_4") == ["failed"], case
    assert statuses(results, "TFGEN_IAM_5") == ["failed"], case


def test_a_deny_of_pass_role_on_every_role_covers_pass_role_on_star() -> None:
    results = case_results("iam", "deny", "pass_role_denied")
    assert statuses(results, "TFGEN_IAM_4") == ["passed"]
    assert statuses(results, "TFGEN_IAM_5") == ["passed"]


def test_pass_role_alone_or_a_code_action_alone_is_no_escalation() -> None:
    assert _escalation([{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]) == ["passed"]
    assert _escalation([{"Effect": "Allow", "Action": "lambda:CreateFunction", "Resource": "*"}]) == ["passed"]
    pair = [
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/*"},
        {"Effect": "Allow", "Action": "glue:CreateDevEndpoint", "Resource": "*"},
    ]
    assert _escalation(pair) == ["failed"]


def test_pass_role_on_one_named_role_is_no_escalation() -> None:
    statements = [
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/app"},
        {"Effect": "Allow", "Action": "lambda:CreateFunction", "Resource": "*"},
    ]
    assert _escalation(statements) == ["passed"]


def test_an_action_on_another_kind_of_iam_resource_grants_nothing() -> None:
    """`iam:Put*` on `role/*` grants PutRolePolicy (reported) but no PutUserPolicy (not named)."""
    results = results_for(
        _policy({"Effect": "Allow", "Action": "iam:Put*", "Resource": "arn:aws:iam::123456789012:role/*"})
    )
    [failure] = [r for r in results if r.rule.id == "TFGEN_IAM_5"]
    assert "iam:PutRolePolicy" in failure.message and "PutUserPolicy" not in failure.message


def test_service_linked_roles_cannot_be_given_policies() -> None:
    statement = {
        "Effect": "Allow",
        "Action": ["iam:AttachRolePolicy", "iam:PutRolePolicy"],
        "Resource": "arn:aws:iam::*:role/aws-service-role/fsx.amazonaws.com/*",
    }
    assert _escalation([statement]) == ["passed"]


@pytest.mark.parametrize(
    "condition,nothing",
    [
        (Condition("Null", "aws:TokenIssueTime", ["false"]), True),
        (Condition("Bool", "aws:MultiFactorAuthPresent", ["true"]), True),
        (Condition("DateGreaterThan", "aws:CurrentTime", ["2020-01-01T00:00:00Z"]), True),
        (Condition("DateGreaterThan", "aws:EpochTime", [1577836800]), True),
        (Condition("StringLike", "iam:PolicyARN", ["*"]), True),
        (Condition("DateGreaterThan", "aws:CurrentTime", ["2999-01-01T00:00:00Z"]), False),
        (Condition("DateLessThan", "aws:CurrentTime", ["2020-01-01T00:00:00Z"]), False),
        (Condition("StringEquals", "iam:PermissionsBoundary", ["arn:aws:iam::123456789012:policy/b"]), False),
        (Condition("ArnEquals", "iam:PolicyARN", ["arn:aws:iam::aws:policy/ReadOnlyAccess"]), False),
        (Condition("StringEquals", "aws:ResourceTag/team", ["payments"]), False),
        (Condition("?", "?", []), False),  # built by an expression: never a guessed finding
    ],
)
def test_which_conditions_narrow_nothing(condition: Condition, nothing: bool) -> None:
    assert narrows_nothing(condition) is nothing


def test_the_rule_cites_the_published_escalation_lists() -> None:
    from tfgen.validate.registry import describe

    check = describe("TFGEN_IAM_5")
    assert check.practice == "iam" and check.severity == "critical"
    for source in ESCALATION_SOURCES:
        assert source in check.why


# --- a Deny in another policy attached to the same principal ------------------------------------------


def _by_address(case: str, rule: str) -> dict[str, str]:
    return {r.address or "": r.status for r in case_results("iam", "deny", case) if r.rule.id == rule}


@pytest.mark.parametrize(
    "case", ["other_policy_same_role", "attached_and_inline", "user_group_document", "named_and_referenced"]
)
def test_a_deny_in_another_policy_of_the_same_principal_takes_the_grant_back(case: str) -> None:
    for rule in ("TFGEN_IAM_4", "TFGEN_IAM_5"):
        statuses_seen = _by_address(case, rule)
        assert statuses_seen and set(statuses_seen.values()) == {"passed"}, (case, rule, statuses_seen)


@pytest.mark.parametrize("case", ["one_holder_of_two", "other_role"])
def test_a_deny_of_another_principal_or_of_one_holder_of_two_takes_nothing_back(case: str) -> None:
    assert "failed" in _by_address(case, "TFGEN_IAM_4").values(), case
    assert "failed" in _by_address(case, "TFGEN_IAM_5").values(), case


@pytest.mark.parametrize("case", ["deny_attached_by_count", "grant_leaves_the_module"])
def test_a_deny_terraform_may_not_create_or_that_misses_the_callers_takes_nothing_back(case: str) -> None:
    """A Deny counts only where its policy and attachment exist whatever the inputs, and only for a
    grant held by nothing outside the module (an output or a module call may attach it elsewhere)."""
    assert "failed" in _by_address(case, "TFGEN_IAM_4").values(), case
    assert "failed" in _by_address(case, "TFGEN_IAM_5").values(), case


def test_a_deny_of_everything_created_zero_times_leaves_the_managed_policy_failed() -> None:
    assert _by_address("deny_policy_counted", "TFGEN_IAM_6") == {"aws_iam_role_policy_attachment.admin": "failed"}


def test_a_broad_managed_policy_is_taken_back_only_by_a_deny_of_everything() -> None:
    # AdministratorAccess under a Deny of * on *: it grants nothing; IAMFullAccess under a Deny of
    # iam:* is not judged narrower (tfgen does not hold the managed policies' documents to compare)
    assert _by_address("attached_and_inline", "TFGEN_IAM_6") == {
        "aws_iam_role_policy_attachment.admin": "passed",
        "aws_iam_role_policy_attachment.deploy": "passed",  # the module's own policy: customer managed
    }
    assert _by_address("one_holder_of_two", "TFGEN_IAM_6") == {
        "aws_iam_policy_attachment.shared": "passed",
        "aws_iam_role_policy_attachment.admin": "failed",
    }


_ROLE = (
    'resource "aws_iam_role" "app" {\n  name = "app"\n  assume_role_policy = jsonencode({ Statement = [{ Effect = '
    '"Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })\n}\n'
)


def _attached(index: int, how: str, statements: list[dict]) -> str:
    """One of the role's policies holding `statements`, attached the way `how` says."""
    document = json.dumps({"Version": "2012-10-17", "Statement": statements})
    if how == "inline":
        return (
            f'resource "aws_iam_role_policy" "p{index}" {{\n  role   = "app"\n  policy = {json.dumps(document)}\n}}\n'
        )
    if how == "attached":
        return (
            f'resource "aws_iam_policy" "p{index}" {{\n  name   = "p{index}"\n  policy = {json.dumps(document)}\n}}\n'
            f'resource "aws_iam_role_policy_attachment" "p{index}" {{\n  role       = aws_iam_role.app.name\n'
            f"  policy_arn = aws_iam_policy.p{index}.arn\n}}\n"
        )
    return (  # a policy document in an inline policy of the role's own
        f'data "aws_iam_policy_document" "p{index}" {{\n  source_policy_documents = [{json.dumps(document)}]\n}}\n'
        f'resource "aws_iam_role_policy" "p{index}" {{\n  role   = aws_iam_role.app.id\n'
        f"  policy = data.aws_iam_policy_document.p{index}.json\n}}\n"
    )


_ONE_ACTION = sorted(ESCALATION_ACTIONS) + ["iam:PassRole"]


@settings(max_examples=40, deadline=None)
@given(
    statements=st.lists(
        st.tuples(st.sampled_from(["Allow", "Deny"]), st.sampled_from([*_ONE_ACTION, "iam:*", "iam:Put*"])),
        min_size=1,
        max_size=5,
    ),
    split=st.lists(st.tuples(st.integers(0, 2), st.sampled_from(["inline", "attached", "document"])), max_size=5),
)
def test_a_deny_counts_the_same_in_any_policy_of_the_role(
    statements: list[tuple[str, str]], split: list[tuple[int, str]]
) -> None:
    """The role's statements in one policy, or spread over several attached to it: the same verdict."""
    written = [{"Effect": effect, "Action": action, "Resource": "*"} for effect, action in statements]
    together = results_for(_ROLE + _attached(0, "inline", written))
    places = [split[i] if i < len(split) else (0, "inline") for i in range(len(written))]
    groups: dict[tuple[int, str], list[dict]] = {}
    for place, statement in zip(places, written, strict=True):
        groups.setdefault(place, []).append(statement)
    spread = results_for(
        _ROLE + "".join(_attached(i, how, group) for i, ((_, how), group) in enumerate(groups.items()))
    )
    for rule in ("TFGEN_IAM_4", "TFGEN_IAM_5"):
        one, many = statuses(together, rule), statuses(spread, rule)
        assert ("failed" in one) == ("failed" in many), (rule, statements, places, one, many)
