"""tfgen's `iam` rules: each with a failing and a passing example, policies read alike in every form."""

from __future__ import annotations

import pytest
from support.validate import results_for, statuses

TRUST_STATEMENT_JSON = '{"Effect": "Allow", "Principal": {"Service": "proton.amazonaws.com"}, "Action": "sts:AssumeRole"%s}'
BOTH_KEYS_JSON = ', "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}, "ArnLike": {"aws:SourceArn": "arn:aws:proton:eu-west-1:123456789012:environment/*"}}'


def trust_forms(with_conditions: bool) -> dict[str, tuple[str, dict[str, str]]]:
    """The same trust policy written five ways: (main.tf, extra files)."""
    cond_hcl = (
        '\n      Condition = {\n        StringEquals = { "aws:SourceAccount" = "123456789012" }\n'
        '        ArnLike      = { "aws:SourceArn" = "arn:aws:proton:eu-west-1:123456789012:environment/*" }\n      }'
        if with_conditions else ""
    )
    cond_json = BOTH_KEYS_JSON if with_conditions else ""
    document_conditions = (
        '    condition {\n      test     = "StringEquals"\n      variable = "aws:SourceAccount"\n      values   = ["123456789012"]\n    }\n'
        '    condition {\n      test     = "ArnLike"\n      variable = "aws:SourceArn"\n      values   = ["arn:aws:proton:eu-west-1:123456789012:environment/*"]\n    }\n'
        if with_conditions else ""
    )
    statement_json = TRUST_STATEMENT_JSON % cond_json
    return {
        "jsonencode": (
            'resource "aws_iam_role" "r" {\n  name = "r"\n  assume_role_policy = jsonencode({\n    Version = "2012-10-17"\n'
            '    Statement = [{\n      Effect    = "Allow"\n      Principal = { Service = "proton.amazonaws.com" }\n'
            f'      Action    = "sts:AssumeRole"{cond_hcl}\n    }}]\n  }})\n}}\n', {}),
        "heredoc": (
            'resource "aws_iam_role" "r" {\n  name = "r"\n  assume_role_policy = <<EOT\n'
            f'{{"Version": "2012-10-17", "Statement": [{statement_json}]}}\nEOT\n}}\n', {}),
        "policy_document": (
            'data "aws_iam_policy_document" "trust" {\n  statement {\n    actions = ["sts:AssumeRole"]\n'
            '    principals {\n      type        = "Service"\n      identifiers = ["proton.amazonaws.com"]\n    }\n'
            f'{document_conditions}  }}\n}}\n\nresource "aws_iam_role" "r" {{\n  name               = "r"\n'
            '  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n', {}),
        "file": (
            'resource "aws_iam_role" "r" {\n  name               = "r"\n  assume_role_policy = file("${path.module}/trust.json")\n}\n',
            {"trust.json": f'{{"Version": "2012-10-17", "Statement": [{statement_json}]}}'}),
        "variable_default": (
            'variable "trust" {\n  type    = any\n  default = {\n    Version = "2012-10-17"\n    Statement = [{\n'
            '      Effect    = "Allow"\n      Principal = { Service = "proton.amazonaws.com" }\n'
            f'      Action    = "sts:AssumeRole"{cond_hcl}\n    }}]\n  }}\n}}\n\n'
            'resource "aws_iam_role" "r" {\n  name               = "r"\n  assume_role_policy = jsonencode(var.trust)\n}\n', {}),
    }


@pytest.mark.parametrize("form", sorted(trust_forms(False)))
def test_trust_without_confused_deputy_keys_fails_in_every_form(form: str, tmp_path) -> None:
    main, extra = trust_forms(False)[form]
    results = _results(tmp_path, main, extra)
    assert statuses(results, "TFGEN_IAM_1") == ["failed"], form
    [failure] = [r for r in results if r.rule.id == "TFGEN_IAM_1"]
    assert "aws:SourceAccount" in failure.message and "aws:SourceArn" in failure.message


@pytest.mark.parametrize("form", sorted(trust_forms(True)))
def test_trust_with_both_keys_passes_in_every_form(form: str, tmp_path) -> None:
    main, extra = trust_forms(True)[form]
    assert statuses(_results(tmp_path, main, extra), "TFGEN_IAM_1") == ["passed"], form


def _results(tmp_path, main: str, extra: dict[str, str]):
    from support.validate import module_from
    from tfgen.validate.rules import run_rules

    for name, text in extra.items():
        (tmp_path / name).write_text(text)
    return list(run_rules(module_from({"main.tf": main}, tmp_path)))


def test_one_key_is_not_enough() -> None:
    main = trust_forms(True)["heredoc"][0].replace(', "ArnLike": {"aws:SourceArn": "arn:aws:proton:eu-west-1:123456789012:environment/*"}', "")
    results = results_for(main)
    [failure] = [r for r in results if r.rule.id == "TFGEN_IAM_1"]
    assert failure.status == "failed" and "aws:SourceArn" in failure.message and "SourceAccount" not in failure.message


def test_services_without_confused_deputy_support_are_not_checked() -> None:
    main = trust_forms(False)["jsonencode"][0].replace("proton.amazonaws.com", "ec2.amazonaws.com")
    assert statuses(results_for(main), "TFGEN_IAM_1") == []


def test_malformed_source_arn_fails_and_well_formed_passes() -> None:
    good = trust_forms(True)["jsonencode"][0]
    bad = good.replace("arn:aws:proton:eu-west-1", "arn:aws::proton:eu-west-1")
    assert statuses(results_for(bad), "TFGEN_IAM_2") == ["failed"]
    assert statuses(results_for(good), "TFGEN_IAM_2") == ["passed"]


KEY_POLICY = '''resource "aws_kms_key" "k" {
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::123456789012:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "Everyone", Effect = "Allow", Principal = { AWS = "*" }, Action = "kms:Decrypt", Resource = "*"%s },
    ]
  })
}
'''


def test_key_policy_wildcard_principal_without_condition_is_public() -> None:
    results = results_for(KEY_POLICY % "")
    assert statuses(results, "TFGEN_IAM_3") == ["failed"]
    assert "key policy" in next(r.message for r in results if r.rule.id == "TFGEN_IAM_3")


def test_key_policy_wildcard_principal_narrowed_by_caller_account_passes() -> None:
    narrowed = KEY_POLICY % ', Condition = { StringEquals = { "kms:CallerAccount" = "123456789012" } }'
    results = results_for(narrowed)
    assert statuses(results, "TFGEN_IAM_3") == ["passed"]


def test_key_policy_resource_star_is_not_a_wildcard_finding() -> None:
    narrowed = KEY_POLICY % ', Condition = { StringEquals = { "kms:CallerAccount" = "123456789012" } }'
    failed = [r for r in results_for(narrowed) if r.status == "failed"]
    assert failed == []


def test_allow_with_not_principal_is_public() -> None:
    text = '''resource "aws_sns_topic_policy" "t" {
  arn    = "arn:aws:sns:eu-west-1:123456789012:t"
  policy = jsonencode({ Statement = [{ Effect = "Allow", NotPrincipal = { AWS = "arn:aws:iam::123456789012:root" }, Action = "sns:Publish", Resource = "*" }] })
}
'''
    assert statuses(results_for(text), "TFGEN_IAM_3") == ["failed"]


def test_deny_with_wildcard_principal_is_not_public() -> None:
    text = '''resource "aws_s3_bucket_policy" "b" {
  bucket = "b"
  policy = jsonencode({ Statement = [{ Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "*", Condition = { Bool = { "aws:SecureTransport" = "false" } } }] })
}
'''
    assert statuses(results_for(text), "TFGEN_IAM_3") == ["passed"]


PASS_ROLE = '''data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["iam:PassRole"]
    resources = [%s]
  }
}

resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.p.json
}
'''


def test_pass_role_on_any_role_fails() -> None:
    assert statuses(results_for(PASS_ROLE % '"*"'), "TFGEN_IAM_4") == ["failed"]
    assert statuses(results_for(PASS_ROLE % '"arn:aws:iam::123456789012:role/*"'), "TFGEN_IAM_4") == ["failed"]


def test_pass_role_on_named_roles_passes() -> None:
    assert statuses(results_for(PASS_ROLE % '"arn:aws:iam::123456789012:role/proton-service"'), "TFGEN_IAM_4") == ["passed"]


def test_admin_star_implies_pass_role_on_everything() -> None:
    text = 'resource "aws_iam_policy" "admin" {\n  name   = "admin"\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })\n}\n'
    assert statuses(results_for(text), "TFGEN_IAM_4") == ["failed"]


def test_policy_in_a_local_is_reported_once_at_its_user() -> None:
    text = '''locals {
  queue_policy = { Statement = [{ Effect = "Allow", Principal = "*", Action = "sqs:SendMessage", Resource = "*" }] }
}

resource "aws_sqs_queue_policy" "q" {
  queue_url = "https://sqs.eu-west-1.amazonaws.com/123456789012/q"
  policy    = jsonencode(local.queue_policy)
}
'''
    failures = [r for r in results_for(text) if r.rule.id == "TFGEN_IAM_3"]
    assert [(r.status, r.address) for r in failures] == [("failed", "aws_sqs_queue_policy.q")]
