"""tfgen's `iam` rules: each with a failing and a passing example, policies read alike in every form.

The cases are tests/cases/rules/iam/: the same trust policy is written five ways (jsonencode, a
heredoc, a policy document, `file()` of a JSON file beside it, a variable's default) without the
confused-deputy condition keys and with both."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.rule_cases import case_names, case_results, case_tree_results
from support.validate import results_for, statuses

from tfgen.validate.rules.iam import NARROWING_KEYS, TRUST_DEPUTIES, TRUST_NOT_JUDGED, well_formed_arn


@pytest.mark.parametrize("form", case_names("iam", "trust_without_keys"))
def test_trust_without_confused_deputy_keys_fails_in_every_form(form: str) -> None:
    results = case_results("iam", "trust_without_keys", form)
    assert statuses(results, "TFGEN_IAM_1") == ["failed"], form
    [failure] = [r for r in results if r.rule.id == "TFGEN_IAM_1"]
    assert "aws:SourceAccount" in failure.message and "aws:SourceArn" in failure.message


@pytest.mark.parametrize("form", case_names("iam", "trust_with_both_keys"))
def test_trust_with_both_keys_passes_in_every_form(form: str) -> None:
    assert statuses(case_results("iam", "trust_with_both_keys", form), "TFGEN_IAM_1") == ["passed"], form


def test_one_key_is_not_enough() -> None:
    results = case_results("iam", "trust_one_key")
    [failure] = [r for r in results if r.rule.id == "TFGEN_IAM_1"]
    assert failure.status == "failed" and "aws:SourceArn" in failure.message and "SourceAccount" not in failure.message


def test_services_without_confused_deputy_support_are_not_checked() -> None:
    assert statuses(case_results("iam", "trust_ec2"), "TFGEN_IAM_1") == []
    assert statuses(case_results("iam", "trust_services", "lambda_execution"), "TFGEN_IAM_1") == []


def test_a_flow_log_role_trusting_the_service_without_keys_fails_naming_the_page() -> None:
    [failure] = [r for r in case_results("iam", "trust_services", "flow_logs_no_keys") if r.rule.id == "TFGEN_IAM_1"]
    assert failure.status == "failed", failure
    assert TRUST_DEPUTIES["vpc-flow-logs.amazonaws.com"] in (failure.message or "")


def test_a_state_machine_role_with_both_keys_passes() -> None:
    assert statuses(case_results("iam", "trust_services", "states_both_keys"), "TFGEN_IAM_1") == ["passed"]


def _trust(service: str, condition: dict[str, dict[str, str]] | None) -> str:
    statement: dict[str, object] = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    if condition:
        statement["Condition"] = condition
    document = json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=2)
    return f'resource "aws_iam_role" "r" {{\n  name = "r"\n  assume_role_policy = <<-EOT\n{document}\n  EOT\n}}\n'


@pytest.mark.parametrize("service", sorted(TRUST_DEPUTIES))
def test_every_documented_service_is_judged_both_ways(service: str) -> None:
    account = {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    pinned = {**account, "ArnLike": {"aws:SourceArn": f"arn:aws:{service.split('.')[0]}:eu-west-1:123456789012:*"}}
    assert statuses(results_for(_trust(service, None)), "TFGEN_IAM_1") == ["failed"], service
    assert statuses(results_for(_trust(service, pinned)), "TFGEN_IAM_1") == ["passed"], service


@pytest.mark.parametrize("service", sorted(TRUST_NOT_JUDGED))
def test_a_service_not_judged_is_neither_failed_nor_passed(service: str) -> None:
    assert statuses(results_for(_trust(service, None)), "TFGEN_IAM_1") == [], service


def test_every_judged_service_names_its_aws_page_and_none_is_in_both_lists() -> None:
    assert all(page.startswith("https://docs.aws.amazon.com/") for page in TRUST_DEPUTIES.values())
    assert not set(TRUST_DEPUTIES) & set(TRUST_NOT_JUDGED)


def test_malformed_source_arn_fails_and_well_formed_passes() -> None:
    assert statuses(case_results("iam", "source_arn_malformed"), "TFGEN_IAM_2") == ["failed"]
    assert statuses(case_results("iam", "trust_with_both_keys", "jsonencode"), "TFGEN_IAM_2") == ["passed"]


def test_key_policy_wildcard_principal_without_condition_is_public() -> None:
    results = case_results("iam", "key_policy_wildcard")
    assert statuses(results, "TFGEN_IAM_3") == ["failed"]
    assert "key policy" in next(r.message for r in results if r.rule.id == "TFGEN_IAM_3")


def test_key_policy_wildcard_principal_narrowed_by_caller_account_passes() -> None:
    assert statuses(case_results("iam", "key_policy_caller_account"), "TFGEN_IAM_3") == ["passed"]


def test_key_policy_resource_star_is_not_a_wildcard_finding() -> None:
    failed = [r for r in case_results("iam", "key_policy_caller_account") if r.status == "failed"]
    assert failed == []


def test_allow_with_not_principal_is_public() -> None:
    assert statuses(case_results("iam", "not_principal"), "TFGEN_IAM_3") == ["failed"]


def test_deny_with_wildcard_principal_is_not_public() -> None:
    assert statuses(case_results("iam", "deny_wildcard_principal"), "TFGEN_IAM_3") == ["passed"]


def test_pass_role_on_any_role_fails() -> None:
    for case in case_names("iam", "pass_role_any"):
        assert statuses(case_results("iam", "pass_role_any", case), "TFGEN_IAM_4") == ["failed"], case


def test_pass_role_on_named_roles_passes() -> None:
    assert statuses(case_results("iam", "pass_role_named"), "TFGEN_IAM_4") == ["passed"]


def test_admin_star_implies_pass_role_on_everything() -> None:
    assert statuses(case_results("iam", "admin_star"), "TFGEN_IAM_4") == ["failed"]


def test_policy_in_a_local_is_reported_once_at_its_user() -> None:
    failures = [r for r in case_results("iam", "policy_in_a_local") if r.rule.id == "TFGEN_IAM_3"]
    assert [(r.status, r.address) for r in failures] == [("failed", "aws_sqs_queue_policy.q")]


_FIELD_VALUES = {  # well-formed literal values of each ARN field
    "partition": ["aws", "aws-cn", "aws-us-gov"],
    "service": ["s3", "sqs", "kms", "iam", "execute-api"],
    "region": ["", "eu-west-1", "us-east-1"],
    "account": ["", "123456789012", "aws"],
    "resource": ["orders", "example-bucket/*", "role/app-deployer", "key/1234abcd", "alias/orders"],
}
_INTERPOLATIONS = [
    "${partition}",
    "${var.x}",
    "${data.aws_partition.current.partition}",
    "${data.aws_caller_identity.current.account_id}",
    "$${aws:PrincipalAccount}",
    '${local.m["k"]}',
]


@settings(max_examples=150, deadline=None)
@given(
    fields=st.fixed_dictionaries({k: st.sampled_from(v) for k, v in _FIELD_VALUES.items()}),
    templated=st.sets(st.sampled_from(sorted(_FIELD_VALUES)), min_size=1),
    interpolation=st.sampled_from(_INTERPOLATIONS),
    where=st.sampled_from(["whole", "prefix", "suffix"]),
)
def test_an_interpolation_in_any_field_of_a_good_arn_keeps_it_good(
    fields: dict[str, str], templated: set[str], interpolation: str, where: str
) -> None:
    """Only the literal parts of an interpolated ARN are checked, in any field."""
    parts = dict(fields)
    for name in templated:
        literal = parts[name] if name not in ("account", "partition") else ""
        parts[name] = (
            interpolation
            if where == "whole" or not literal
            else (interpolation + literal if where == "prefix" else literal + interpolation)
        )
    arn = "arn:" + ":".join(parts[k] for k in ("partition", "service", "region", "account", "resource"))
    assert well_formed_arn(arn), arn
    # the literal parts are still checked: an empty service field (an extra colon) stays malformed
    broken = "arn:" + ":".join(
        [parts["partition"], "", *(parts[k] for k in ("service", "region", "account", "resource"))]
    )
    if "service" not in templated:
        assert not well_formed_arn(broken), broken


@settings(max_examples=100, deadline=None)
@given(
    fields=st.fixed_dictionaries({k: st.sampled_from(v) for k, v in _FIELD_VALUES.items()}),
    kept=st.integers(min_value=2, max_value=4),
    partial=st.booleans(),
)
def test_a_trailing_wildcard_stands_for_the_fields_it_leaves_out(
    fields: dict[str, str], kept: int, partial: bool
) -> None:
    """`arn:aws:logs:*` (a real-world policy, docs/accuracy.md): a `*` ending a segment matches across
    the colons after it, so the ARN is well formed; a wildcard in the service field never is."""
    parts = [fields[k] for k in ("partition", "service", "region", "account", "resource")]
    stem = {2: "eu-", 3: "", 4: "role/"}[kept] if partial else ""  # the wildcard's segment: region, account, resource
    arn = "arn:" + ":".join([*parts[:kept], stem + "*"])
    assert well_formed_arn(arn), arn
    assert not well_formed_arn("arn:" + ":".join([parts[0], stem + "*"])), "a wildcard service"
    assert not well_formed_arn("arn:" + ":".join([parts[0], "", *parts[2:kept], stem + "*"])), "an empty service"


# --- TFGEN_IAM_3: which conditions narrow a wildcard principal ------------------------------------

_NOT_NARROWING_KEYS = (
    "aws:PrincipalType",
    "aws:username",
    "aws:MultiFactorAuthPresent",
    "aws:RequestedRegion",
    "aws:CurrentTime",
    "aws:SecureTransport",
    "aws:CalledVia",
    "aws:ViaAWSService",
    "aws:ResourceAccount",
    "aws:VpcSourceIp",
    "sts:ExternalId",
    "s3:prefix",
    "s3:x-amz-acl",
    "aws:UserAgent",
    "aws:Referer",
    "aws:TagKeys",
)
_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12)
_values = st.lists(
    st.sampled_from(["o-a1b2c3d4e5", "123456789012", "arn:aws:s3:::bucket", "vpce-0a1b2c3d", "true", "203.0.113.0/24"]),
    min_size=1,
    max_size=3,
)


def _public_policy(operator: str, key: str, values: list[str]) -> str:
    """A bucket policy allowing Principal "*" under one condition (generated: the shapes are the property)."""
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::bucket/*",
                "Condition": {operator: {key: values}},
            }
        ],
    }
    return (
        'resource "aws_s3_bucket_policy" "b" '
        f'{{\n  bucket = "bucket"\n  policy = <<-EOT\n{json.dumps(document, indent=2)}\n  EOT\n}}\n'
    )


@settings(max_examples=40, deadline=None)
@given(
    key=st.one_of(
        st.sampled_from(_NOT_NARROWING_KEYS),
        _word.map(lambda w: f"aws:PrincipalTag/{w}"),
        _word.map(lambda w: f"aws:RequestTag/{w}"),
    ),
    operator=st.sampled_from(
        [
            "StringEquals",
            "StringLike",
            "ArnLike",
            "Bool",
            "IpAddress",
            "StringNotEquals",
            "ForAnyValue:StringEquals",
            "StringEqualsIfExists",
            "Null",
        ]
    ),
    values=_values,
)
def test_a_key_any_caller_can_satisfy_never_narrows(key: str, operator: str, values: list[str]) -> None:
    assert statuses(results_for(_public_policy(operator, key, values)), "TFGEN_IAM_3") == ["failed"]


@settings(max_examples=40, deadline=None)
@given(
    key=st.sampled_from(sorted(k for k in NARROWING_KEYS if k != "aws:PrincipalIsAWSService")),
    operator=st.sampled_from(
        [
            "StringNotEquals",
            "StringNotLike",
            "ArnNotLike",
            "NotIpAddress",
            "StringEqualsIfExists",
            "ArnLikeIfExists",
            "ForAllValues:StringEquals",
            "Null",
            "StringNotEqualsIgnoreCase",
        ]
    ),
    values=_values,
)
def test_a_documented_key_under_a_negated_ifexists_or_null_test_does_not_narrow(
    key: str, operator: str, values: list[str]
) -> None:
    assert statuses(results_for(_public_policy(operator, key, values)), "TFGEN_IAM_3") == ["failed"]


@settings(max_examples=40, deadline=None)
@given(
    key=st.sampled_from(sorted(k for k in NARROWING_KEYS if k != "aws:PrincipalIsAWSService")),
    operator=st.sampled_from(
        ["StringEquals", "StringLike", "ArnEquals", "ArnLike", "ForAnyValue:StringLike", "IpAddress"]
    ),
    values=_values,
    case=st.sampled_from([str.lower, str.upper, str]),
)
def test_a_documented_key_under_a_positive_test_narrows(
    key: str, operator: str, values: list[str], case: Callable[[str], str]
) -> None:
    assert statuses(results_for(_public_policy(operator, case(key), values)), "TFGEN_IAM_3") == ["passed"]


@pytest.mark.parametrize("values", [["*"], ["0.0.0.0/0"], ["::/0"]])
def test_a_narrowing_key_matched_against_everything_does_not_narrow(values: list[str]) -> None:
    operator = "IpAddress" if "/" in values[0] else "StringLike"
    key = "aws:SourceIp" if "/" in values[0] else "aws:PrincipalOrgID"
    assert statuses(results_for(_public_policy(operator, key, values)), "TFGEN_IAM_3") == ["failed"]


def test_principal_is_aws_service_narrows_only_when_true() -> None:
    assert statuses(results_for(_public_policy("Bool", "aws:PrincipalIsAWSService", ["true"])), "TFGEN_IAM_3") == [
        "passed"
    ]
    assert statuses(results_for(_public_policy("Bool", "aws:PrincipalIsAWSService", ["false"])), "TFGEN_IAM_3") == [
        "failed"
    ]


def test_the_failure_names_the_conditions_that_narrow_nothing() -> None:
    results = results_for(_public_policy("StringNotEquals", "aws:PrincipalOrgID", ["o-a1b2c3d4e5"]))
    message = next(r.message for r in results if r.rule.id == "TFGEN_IAM_3")
    assert message.endswith("its conditions narrow nothing: StringNotEquals aws:PrincipalOrgID")


def test_every_narrowing_key_names_the_aws_page_it_comes_from() -> None:
    assert all(url.startswith("https://docs.aws.amazon.com/") for url in NARROWING_KEYS.values())


@pytest.mark.parametrize("case", ["default_star", "tfvars_star"])
def test_principals_from_a_variable_set_to_star_are_public(case: str) -> None:
    assert statuses(case_results("iam", "principals", case), "TFGEN_IAM_3") == ["failed"], case


def test_principals_a_caller_sets_to_star_are_public() -> None:
    results = [r for r in case_tree_results("iam", "principals", "caller_star") if r.rule.id == "TFGEN_IAM_3"]
    assert [r.status for r in results] == ["failed"]


def test_principals_from_a_variable_nobody_sets_are_not_evaluated_never_passed() -> None:
    [result] = [r for r in case_results("iam", "principals", "unset") if r.rule.id == "TFGEN_IAM_3"]
    assert result.status == "skipped" and (result.skip_reason or "").startswith("not evaluated: principals: var.")


@pytest.mark.parametrize("case", ["named", "account_template"])
def test_principals_computed_from_resources_or_an_account_are_named(case: str) -> None:
    assert statuses(case_results("iam", "principals", case), "TFGEN_IAM_3") == ["passed"], case


def test_a_deny_to_everyone_outside_the_organization_takes_a_public_grant_back() -> None:
    assert statuses(case_results("iam", "deny_public", "org_perimeter"), "TFGEN_IAM_3") == ["passed"]
    assert statuses(case_results("iam", "deny_public", "perimeter_too_narrow"), "TFGEN_IAM_3") == ["failed"]


def test_a_malformed_arn_with_interpolations_is_quoted_as_written() -> None:
    text = (
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = jsonencode({\n    Version = "2012-10-17"\n'
        '    Statement = [{ Effect = "Allow", Action = "sqs:SendMessage", '
        'Resource = "arn:${var.partition}::sqs:eu-west-1:1:q" }]\n  })\n}\n'
    )
    [failure] = [r for r in results_for(text) if r.rule.id == "TFGEN_IAM_2"]
    assert failure.status == "failed"
    assert failure.message == "malformed ARN 'arn:${var.partition}::sqs:eu-west-1:1:q'", failure.message


def test_source_arn_naming_the_account_is_enough_and_a_wildcard_account_is_not() -> None:
    # AWS's confused-deputy page: aws:SourceArn alone protects when its value holds the account id;
    # without one (an S3 bucket ARN, `*` for the account) aws:SourceAccount is needed too.
    results = [r for r in case_results("iam", "trust_source_arn_names_account") if r.rule.id == "TFGEN_IAM_1"]
    assert [(r.line, r.status) for r in results] == [(8, "passed"), (26, "failed")], results


def test_a_vpc_endpoint_owner_condition_narrows_a_wildcard_principal() -> None:
    # checkov's own CKV_AWS_70 example: only requests through a VPC endpoint the account owns.
    text = (
        'resource "aws_s3_bucket_policy" "p" {\n  bucket = "b"\n  policy = jsonencode({\n'
        '    Version = "2012-10-17"\n    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject",\n'
        '      Resource = "arn:aws:s3:::b/*",\n'
        '      Condition = { StringEquals = { "aws:VpceAccount" = "123456789012" } } }]\n  })\n}\n'
    )
    assert statuses(results_for(text), "TFGEN_IAM_3") == ["passed"]


@pytest.mark.parametrize(
    ("actions", "status"),
    [
        (["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"], "passed"),  # defines, runs nothing
        (["ecs:RegisterTaskDefinition", "ecs:RunTask"], "failed"),
        (["ecs:RegisterTaskDefinition", "ecs:UpdateService"], "failed"),
        (["codebuild:CreateProject"], "passed"),
        (["codebuild:CreateProject", "codebuild:StartBuild"], "failed"),
        (["lambda:CreateFunction"], "failed"),
    ],
)
def test_pass_role_escalates_only_where_code_runs(actions: list[str], status: str) -> None:
    # ecs-blueprints' CodeBuild role (docs/accuracy.md): iam:PassRole with ecs:RegisterTaskDefinition
    # alone; a task definition runs once a task or service starts it (Bishop Fox's ECS path).
    text = (
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = jsonencode({\n    Version = "2012-10-17"\n'
        '    Statement = [\n      { Effect = "Allow", Action = "iam:PassRole", Resource = "*" },\n'
        f'      {{ Effect = "Allow", Action = {json.dumps(actions)}, Resource = "*" }},\n'
        "    ]\n  })\n}\n"
    )
    assert statuses(results_for(text), "TFGEN_IAM_5") == [status], actions


def test_an_escalation_message_shows_an_interpolated_resource_as_written_shape() -> None:
    text = (
        'variable "account_id" {\n  type = string\n}\n'
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = jsonencode({\n    Version = "2012-10-17"\n'
        '    Statement = [{ Effect = "Allow", Action = "iam:AttachRolePolicy",\n'
        '      Resource = "arn:aws:iam::${var.account_id}:role/*" }]\n  })\n}\n'
    )
    [failure] = [r for r in results_for(text) if r.rule.id == "TFGEN_IAM_5"]
    assert "\0" not in failure.message and "arn:aws:iam::${...}:role/*" in failure.message, failure.message


@pytest.mark.parametrize("case", case_names("iam", "callers"))
def test_each_call_of_a_module_is_judged_as_that_call_sets_its_variables(case: str) -> None:
    """A module called several times is judged once per call, its variables as that call alone sets
    them: one instance granting every action fails whatever the others pass (a narrow list, a value
    tfgen cannot know, the module's own document, sixteen more calls), and two calls' arguments are
    never mixed into a policy no instance has."""
    results = case_tree_results("iam", "callers", case)
    failed = {r.rule.id for r in results if r.status == "failed"}
    found = [(r.rule.id, r.status, r.line, r.message) for r in results]
    if case.startswith("fail_"):
        assert failed >= {"TFGEN_IAM_4", "TFGEN_IAM_5"}, found
    else:
        assert not {i for i in failed if i.startswith("TFGEN_IAM")}, found
