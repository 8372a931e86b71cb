"""tfgen's `encryption` rules: customer managed keys, not AWS managed ones; TLS-only buckets.

The cases are tests/cases/rules/encryption/."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.rule_cases import case_dir, case_module, case_names, case_results, case_text, case_tree_results
from support.validate import module_from, results_for, statuses

from tfgen.validate.module import link_calls
from tfgen.validate.rules import run_rules

# Why each bucket encryption without a customer managed key fails (sse_without_cmk/<case>).
SSE_REASONS = {
    "sse_s3": "SSE-S3",
    "aws_kms_default_key": "AWS managed key aws/s3",
    "aws_kms_dsse_default_key": "AWS managed key aws/s3",
    "aws_kms_alias_aws_s3": "AWS managed key",
    "aws_kms_alias_arn_aws_s3": "AWS managed key",
}


@pytest.mark.parametrize("case", case_names("encryption", "sse_without_cmk"))
def test_sse_without_a_customer_managed_key_fails(case: str) -> None:
    reason = SSE_REASONS[case]  # a new case needs its reason here
    results = [r for r in case_results("encryption", "sse_without_cmk", case) if r.rule.id == "TFGEN_ENC_1"]
    assert [r.status for r in results] == ["failed"]
    assert reason in results[0].message


@pytest.mark.parametrize("case", case_names("encryption", "sse_with_cmk"))
def test_sse_with_a_customer_managed_key_passes(case: str) -> None:
    assert statuses(case_results("encryption", "sse_with_cmk", case), "TFGEN_ENC_1") == ["passed"]


def test_algorithm_from_a_variable_default_is_followed() -> None:
    assert statuses(case_results("encryption", "sse_algorithm_from_variable"), "TFGEN_ENC_1") == ["failed"]


def test_legacy_inline_block_and_objects() -> None:
    assert statuses(case_results("encryption", "legacy_inline_sse_s3"), "TFGEN_ENC_1") == ["failed"]
    assert statuses(case_results("encryption", "object_aws_kms_default_key"), "TFGEN_ENC_1") == ["failed"]


def test_access_log_target_with_sse_s3_is_skipped_with_a_reason() -> None:
    [result] = [r for r in case_results("encryption", "access_log_target_sse_s3") if r.rule.id == "TFGEN_ENC_1"]
    assert result.status == "skipped" and "access log" in result.skip_reason


def test_bucket_without_any_policy_fails() -> None:
    [result] = [r for r in case_results("encryption", "bucket_without_policy") if r.rule.id == "TFGEN_ENC_2"]
    assert result.status == "failed" and "no bucket policy" in result.message


def test_bucket_policy_without_tls_deny_fails_and_with_it_passes() -> None:
    assert statuses(case_results("encryption", "bucket_policy_without_tls_deny"), "TFGEN_ENC_2") == ["failed"]
    assert statuses(case_results("encryption", "bucket_policy_with_tls_deny"), "TFGEN_ENC_2") == ["passed"]


def test_tls_deny_in_a_policy_document_matched_by_bucket_name() -> None:
    assert statuses(case_results("encryption", "tls_deny_in_policy_document_by_name"), "TFGEN_ENC_2") == ["passed"]


def test_unreadable_policy_expression_gives_no_verdict() -> None:
    assert statuses(case_results("encryption", "bucket_policy_unreadable"), "TFGEN_ENC_2") == []


@pytest.mark.parametrize("resource", case_names("encryption", "aws_managed_key_alias"))
def test_aws_managed_key_aliases_fail_and_cmks_pass(resource: str) -> None:
    assert statuses(case_results("encryption", "aws_managed_key_alias", resource), "TFGEN_ENC_3") == ["failed"]
    assert statuses(case_results("encryption", "customer_managed_key", resource), "TFGEN_ENC_3") == ["passed"]


def test_backend_encryption() -> None:
    assert statuses(case_results("encryption", "backend_encrypt_false"), "TFGEN_ENC_4") == ["failed"]
    assert statuses(case_results("encryption", "backend_encrypt_true"), "TFGEN_ENC_4") == ["passed"]


# A bucket whose module has no TLS deny, by how its callers (tls_deny_via_caller/<case>) give it one.
VIA_CALLER = {
    "attached": ("passed", None),
    "output_not_followable": ("skipped", "not evaluated: the bucket policy at its call module.b"),
    "policy_from_an_unknown_value": ("skipped", "not evaluated: the bucket policy at its call module.b"),
    "second_caller_without": ("failed", "no bucket policy for this bucket in its module nor at its call module.again"),
}


@pytest.mark.parametrize("case", case_names("encryption", "tls_deny_via_caller"))
def test_a_bucket_policy_is_followed_into_the_module_call(case: str) -> None:
    """The caller of `./modules/bucket` may attach the TLS deny; what cannot be known is not passed."""
    status, text = VIA_CALLER[case]  # a new case needs its verdict here
    [result] = [r for r in case_tree_results("encryption", "tls_deny_via_caller", case) if r.rule.id == "TFGEN_ENC_2"]
    assert result.status == status, (result.message, result.skip_reason)
    assert text is None or text in (result.message or result.skip_reason or ""), (result.message, result.skip_reason)


def _only(results: list, rule_id: str):  # type: ignore[no-untyped-def]
    [result] = [r for r in results if r.rule.id == rule_id]
    return result


def test_a_tls_deny_whose_dynamic_toggle_is_unknown_is_not_evaluated() -> None:
    """The deny exists only if `var.enforce_tls` (set by nobody tfgen read) is true."""
    result = _only(case_results("encryption", "tls_deny_dynamic_unknown_toggle"), "TFGEN_ENC_2")
    assert result.status == "skipped"
    assert result.skip_reason.startswith("not evaluated: ") and "var.enforce_tls" in result.skip_reason


@pytest.mark.parametrize("case", ["sse_dynamic_from_local_map", "sse_dynamic_rule_from_variable"])
def test_dynamic_encryption_blocks_with_a_customer_managed_key_pass(case: str) -> None:
    assert statuses(case_results("encryption", case), "TFGEN_ENC_1") == ["passed"]


def test_dynamic_encryption_blocks_from_an_unknown_for_each_are_not_evaluated() -> None:
    result = _only(case_results("encryption", "sse_dynamic_unknown_for_each"), "TFGEN_ENC_1")
    assert result.status == "skipped"
    assert result.skip_reason.startswith('not evaluated: dynamic "rule" for_each: var.encryption_rules'), (
        result.skip_reason
    )


def test_a_key_chosen_by_an_unknown_toggle_is_not_evaluated() -> None:
    """Either branch may be taken: neither passed nor failed, and the reason names the toggle."""
    result = _only(case_results("encryption", "aws_managed_key_unknown_toggle"), "TFGEN_ENC_3")
    assert result.status == "skipped"
    assert result.skip_reason.startswith("not evaluated: kms_master_key_id: var.use_cmk"), result.skip_reason


def test_each_caller_s_key_is_seen() -> None:
    """Two calls of one module: the one passing the AWS managed key fails the module's queue."""
    results = case_tree_results("encryption", "two_callers_one_managed_key")
    result = _only([r for r in results if r.node.address == "aws_sqs_queue.this"], "TFGEN_ENC_3")
    assert result.status == "failed" and "alias/aws/sqs" in result.message


@pytest.mark.parametrize("case,status", [("log_target", "skipped"), ("not_a_log_target", "failed")])
def test_sse_s3_from_one_call_of_a_module_is_judged_by_that_call(case: str, status: str) -> None:
    """The module's encryption depends on `kms_key_arn`: the call passing none gets SSE-S3, which is
    the documented exception only where the caller makes that call's bucket a log target."""
    directory = case_dir("encryption", "sse_s3_per_call")  # one module, called from `<case>.tf`
    caller = module_from({"main.tf": case_text("encryption", "sse_s3_per_call", name=f"{case}.tf")}, directory)
    called = case_module("encryption", "sse_s3_per_call", "modules", "s3")
    link_calls({"root": caller, "s3": called})
    result = _only(list(run_rules(called)), "TFGEN_ENC_1")
    assert result.status == status, (result.message, result.skip_reason)
    assert "access log" in (result.skip_reason or "") if status == "skipped" else "AES256" in result.message


def test_an_object_s_algorithm_and_key_are_judged_within_one_call() -> None:
    """One call sets aws:kms with its key, another sets neither: no object is aws:kms without a
    key (the first call's algorithm never meets the second call's null key: no false failure)."""
    caller = module_from(
        {
            "main.tf": 'variable "key_arn" {\n  type = string\n}\n'
            'module "kms" {\n  source = "./object"\n  sse = "aws:kms"\n  key = var.key_arn\n}\n'
            'module "plain" {\n  source = "./object"\n}\n'
        },
        Path("/virtual/root"),
    )
    module = (
        'variable "sse" {\n  type    = string\n  default = null\n}\n'
        'variable "key" {\n  type    = string\n  default = null\n}\n'
        'resource "aws_s3_object" "this" {\n  bucket                 = "b"\n  key                    = "k"\n'
        "  server_side_encryption = var.sse\n  kms_key_id             = var.key\n}\n"
    )
    called = module_from({"main.tf": module}, Path("/virtual/root/object"))
    link_calls({"root": caller, "object": called})
    assert _only(list(run_rules(called)), "TFGEN_ENC_1").status == "passed"
    no_key = module_from(
        {"main.tf": 'module "kms" {\n  source = "./object"\n  sse = "aws:kms"\n}\n'}, Path("/virtual/root")
    )
    called = module_from({"main.tf": module}, Path("/virtual/root/object"))
    link_calls({"root": no_key, "object": called})
    assert _only(list(run_rules(called)), "TFGEN_ENC_1").status == "failed"


@pytest.mark.parametrize(
    ("service", "status"), [("logging.s3.amazonaws.com", "skipped"), ("cloudtrail.amazonaws.com", "failed")]
)
def test_a_bucket_whose_policy_admits_s3_log_delivery_is_a_log_target(service: str, status: str) -> None:
    """A log bucket module: nothing in it logs to its bucket, but the bucket's policy lets S3's log
    delivery put objects, so its SSE-S3 is the documented exception, not a failure."""
    files = {
        "main.tf": 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n'
        'resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {\n  bucket = aws_s3_bucket.logs.id\n'
        '  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm = "AES256"\n    }\n  }\n}\n'
        'data "aws_iam_policy_document" "logs" {\n  statement {\n    effect = "Allow"\n'
        f'    principals {{\n      type        = "Service"\n      identifiers = ["{service}"]\n    }}\n'
        '    actions   = ["s3:PutObject"]\n    resources = ["${aws_s3_bucket.logs.arn}/*"]\n  }\n}\n'
        'resource "aws_s3_bucket_policy" "logs" {\n  bucket = aws_s3_bucket.logs.id\n'
        "  policy = data.aws_iam_policy_document.logs.json\n}\n"
    }
    assert _only(list(run_rules(module_from(files, Path("/virtual/logs")))), "TFGEN_ENC_1").status == status


def _document_chain(length: int, links: list[tuple[int, int]], deny: bool) -> str:
    """A bucket whose policy is document 0, each document i sourcing document i+1 (and the extra
    `links`, which may point back up the chain), the TLS deny (or not) in the last one."""
    docs = []
    for i in range(length):
        sources = [
            f"data.aws_iam_policy_document.d{j}.json" for j in [i + 1, *(b for a, b in links if a == i)] if j < length
        ]
        statement = (
            'statement {\n effect = "Deny"\n actions = ["s3:*"]\n resources = ["*"]\n'
            ' principals {\n type = "*"\n identifiers = ["*"]\n }\n condition {\n test = "Bool"\n'
            f' variable = "{"aws:SecureTransport" if deny else "aws:SourceIp"}"\n values = ["false"]\n }}\n}}\n'
            if i == length - 1
            else f'statement {{\n sid = "Read{i}"\n actions = ["s3:GetObject"]\n resources = ["*"]\n}}\n'
        )
        docs.append(
            f'data "aws_iam_policy_document" "d{i}" '
            f"{{\n source_policy_documents = [{', '.join(sources)}]\n{statement}}}\n"
        )
    return (
        'resource "aws_s3_bucket" "b" {\n bucket = "example"\n}\n'
        'resource "aws_s3_bucket_policy" "b" {\n bucket = aws_s3_bucket.b.id\n policy = '
        "data.aws_iam_policy_document.d0.json\n}\n" + "".join(docs)
    )


@settings(max_examples=25, deadline=None)
@given(
    length=st.integers(min_value=1, max_value=10),
    deny=st.booleans(),
    links=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=12),
)
def test_a_tls_deny_is_found_at_any_depth_of_merged_documents(
    length: int, deny: bool, links: list[tuple[int, int]]
) -> None:
    """A real-world bucket policy merged its TLS deny four documents down (docs/accuracy.md); cycles
    (`links` back up the chain) are read once, never forever."""
    assert statuses(results_for(_document_chain(length, links, deny)), "TFGEN_ENC_2") == [
        "passed" if deny else "failed"
    ]


_SSE_S3 = (
    'resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {\n  bucket = aws_s3_bucket.logs.id\n'
    '  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm = "AES256"\n    }\n  }\n}\n'
)


@pytest.mark.parametrize(
    "grant",
    [
        'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n  acl    = "log-delivery-write"\n}\n',
        'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\nresource "aws_s3_bucket_acl" "logs" {\n'
        '  bucket = aws_s3_bucket.logs.id\n  acl    = "log-delivery-write"\n}\n',
        'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n  grant {\n    type        = "Group"\n'
        '    uri         = "http://acs.amazonaws.com/groups/s3/LogDelivery"\n    permissions = ["READ_ACP", "WRITE"]\n'
        "  }\n}\n",
        'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\nresource "aws_s3_bucket_acl" "logs" {\n'
        "  bucket = aws_s3_bucket.logs.id\n  access_control_policy {\n    grant {\n      grantee {\n"
        '        type = "Group"\n        uri  = "http://acs.amazonaws.com/groups/s3/LogDelivery"\n      }\n'
        '      permission = "WRITE"\n    }\n    owner {\n      id = "abc"\n    }\n  }\n}\n',
    ],
)
def test_a_bucket_the_log_delivery_group_writes_to_is_a_log_target(grant: str) -> None:
    # trivy-checks AWS-0132's good examples (docs/accuracy.md): S3's legacy log delivery writes by ACL.
    [result] = [r for r in results_for(grant + _SSE_S3) if r.rule.id == "TFGEN_ENC_1"]
    assert result.status == "skipped" and "access log" in (result.skip_reason or ""), result
