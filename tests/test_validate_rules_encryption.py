"""tfgen's `encryption` rules: customer managed keys, not AWS managed ones; TLS-only buckets."""

from __future__ import annotations

import pytest
from support.validate import module_from, results_for, statuses

from tfgen.validate.rules import run_rules

SSE = '''resource "aws_s3_bucket_server_side_encryption_configuration" "e" {
  bucket = "b"
  rule {
    apply_server_side_encryption_by_default {
      %s
    }
  }
}
'''


@pytest.mark.parametrize("settings,reason", [
    ('sse_algorithm = "AES256"', "SSE-S3"),
    ('sse_algorithm = "aws:kms"', "AWS managed key aws/s3"),
    ('sse_algorithm = "aws:kms:dsse"', "AWS managed key aws/s3"),
    ('sse_algorithm = "aws:kms"\n      kms_master_key_id = "alias/aws/s3"', "AWS managed key"),
    ('sse_algorithm = "aws:kms"\n      kms_master_key_id = "arn:aws:kms:eu-west-1:123456789012:alias/aws/s3"', "AWS managed key"),
])
def test_sse_without_a_customer_managed_key_fails(settings: str, reason: str) -> None:
    results = [r for r in results_for(SSE % settings) if r.rule.id == "TFGEN_ENC_1"]
    assert [r.status for r in results] == ["failed"]
    assert reason in results[0].message


@pytest.mark.parametrize("key", ["aws_kms_key.data.arn", '"arn:aws:kms:eu-west-1:123456789012:key/abc"', "var.key_arn", '"alias/data"'])
def test_sse_with_a_customer_managed_key_passes(key: str) -> None:
    settings = f'sse_algorithm = "aws:kms"\n      kms_master_key_id = {key}'
    assert statuses(results_for(SSE % settings), "TFGEN_ENC_1") == ["passed"]


def test_algorithm_from_a_variable_default_is_followed() -> None:
    text = 'variable "alg" {\n  default = "AES256"\n}\n' + SSE % "sse_algorithm = var.alg"
    assert statuses(results_for(text), "TFGEN_ENC_1") == ["failed"]


def test_legacy_inline_block_and_objects() -> None:
    legacy = '''resource "aws_s3_bucket" "b" {
  bucket = "b"
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "AES256"
      }
    }
  }
}
'''
    assert statuses(results_for(legacy), "TFGEN_ENC_1") == ["failed"]
    obj = 'resource "aws_s3_object" "o" {\n  bucket = "b"\n  key = "k"\n  server_side_encryption = "aws:kms"\n}\n'
    assert statuses(results_for(obj), "TFGEN_ENC_1") == ["failed"]


def test_access_log_target_with_sse_s3_is_skipped_with_a_reason() -> None:
    text = '''resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_logging" "data" {
  bucket        = "data"
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "data/"
}
'''
    [result] = [r for r in results_for(text) if r.rule.id == "TFGEN_ENC_1"]
    assert result.status == "skipped" and "access log" in result.skip_reason


BUCKET = 'resource "aws_s3_bucket" "b" {\n  bucket = "example-b"\n}\n'
DENY_TLS = '{ Sid = "TLS", Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "*", Condition = { Bool = { "aws:SecureTransport" = "false" } } }'


def test_bucket_without_any_policy_fails() -> None:
    [result] = [r for r in results_for(BUCKET) if r.rule.id == "TFGEN_ENC_2"]
    assert result.status == "failed" and "no bucket policy" in result.message


def test_bucket_policy_without_tls_deny_fails_and_with_it_passes() -> None:
    allow = '{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::123456789012:root" }, Action = "s3:GetObject", Resource = "*" }'
    policy = 'resource "aws_s3_bucket_policy" "b" {\n  bucket = aws_s3_bucket.b.id\n  policy = jsonencode({ Statement = [%s] })\n}\n'
    assert statuses(results_for(BUCKET + policy % allow), "TFGEN_ENC_2") == ["failed"]
    assert statuses(results_for(BUCKET + policy % f"{allow}, {DENY_TLS}"), "TFGEN_ENC_2") == ["passed"]


def test_tls_deny_in_a_policy_document_matched_by_bucket_name() -> None:
    text = BUCKET + '''data "aws_iam_policy_document" "tls" {
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::example-b/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = [false]
    }
  }
}

resource "aws_s3_bucket_policy" "b" {
  bucket = "example-b"
  policy = data.aws_iam_policy_document.tls.json
}
'''
    assert statuses(results_for(text), "TFGEN_ENC_2") == ["passed"]


def test_unreadable_policy_expression_gives_no_verdict() -> None:
    text = BUCKET + 'resource "aws_s3_bucket_policy" "b" {\n  bucket = aws_s3_bucket.b.id\n  policy = var.policy\n}\n'
    assert statuses(results_for(text), "TFGEN_ENC_2") == []


@pytest.mark.parametrize("resource,attribute", [
    ("aws_sns_topic", "kms_master_key_id"), ("aws_secretsmanager_secret", "kms_key_id"),
    ("aws_cloudwatch_log_group", "kms_key_id"), ("aws_sqs_queue", "kms_master_key_id"),
])
def test_aws_managed_key_aliases_fail_and_cmks_pass(resource: str, attribute: str) -> None:
    service = resource.split("_")[1]
    bad = f'resource "{resource}" "r" {{\n  name = "r"\n  {attribute} = "alias/aws/{service}"\n}}\n'
    good = f'resource "{resource}" "r" {{\n  name = "r"\n  {attribute} = aws_kms_key.k.arn\n}}\n'
    assert statuses(results_for(bad), "TFGEN_ENC_3") == ["failed"]
    assert statuses(results_for(good), "TFGEN_ENC_3") == ["passed"]


def test_backend_encryption() -> None:
    backend = 'terraform {\n  backend "s3" {\n    bucket  = "state"\n    key     = "k"\n    encrypt = %s\n  }\n}\n'
    module = module_from({"backend.tf": backend % "false"})
    assert statuses(list(run_rules(module)), "TFGEN_ENC_4") == ["failed"]
    module = module_from({"backend.tf": backend % "true"})
    assert statuses(list(run_rules(module)), "TFGEN_ENC_4") == ["passed"]
