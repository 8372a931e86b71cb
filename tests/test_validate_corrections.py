"""checkov's documented false positives become skipped findings with tfgen's reason; nothing else does."""

from __future__ import annotations

from support.validate import module_from

from tfgen.validate.corrections import correct, split_address
from tfgen.validate.report import Finding

KEY_POLICY = """data "aws_iam_policy_document" "key" {
  statement {
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:root"]
    }
  }
}

resource "aws_kms_key" "k" {
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.key.json
}
"""


def finding(check_id: str, resource: str) -> Finding:
    return Finding(check_id, "t", "failed", None, "checkov", resource, "main.tf", 1)


def test_key_policy_wildcard_resource_is_corrected() -> None:
    module = module_from({"main.tf": KEY_POLICY})
    for check in ("CKV_AWS_109", "CKV_AWS_111", "CKV_AWS_356"):
        for resource in (
            "aws_iam_policy_document.key",
            "data.aws_iam_policy_document.key",
            "module.kms.aws_iam_policy_document.key",
        ):
            fixed = correct(finding(check, resource), module)
            assert fixed.status == "skipped" and "this key" in fixed.skip_reason, (check, resource)


def test_a_document_also_used_as_an_identity_policy_is_not_corrected() -> None:
    text = (
        KEY_POLICY
        + 'resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = data.aws_iam_policy_document.key.json\n}\n'
    )
    assert (
        correct(finding("CKV_AWS_111", "aws_iam_policy_document.key"), module_from({"main.tf": text})).status
        == "failed"
    )


def test_other_checks_on_the_document_are_not_corrected() -> None:
    assert (
        correct(finding("CKV_AWS_1", "aws_iam_policy_document.key"), module_from({"main.tf": KEY_POLICY})).status
        == "failed"
    )


def test_trail_with_log_group_arn_is_integrated() -> None:
    with_arn = (
        'resource "aws_cloudtrail" "t" {\n  name = "t"\n  cloud_watch_logs_group_arn = '
        '"arn:aws:logs:eu-west-1:123456789012:log-group:a:*"\n}\n'
    )
    without = 'resource "aws_cloudtrail" "t" {\n  name = "t"\n}\n'
    assert correct(finding("CKV2_AWS_10", "aws_cloudtrail.t"), module_from({"main.tf": with_arn})).status == "skipped"
    assert correct(finding("CKV2_AWS_10", "aws_cloudtrail.t"), module_from({"main.tf": without})).status == "failed"


def test_access_log_target_cannot_use_sse_kms() -> None:
    text = """resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}

resource "aws_s3_bucket" "data" {
  bucket = "data"
}

resource "aws_s3_bucket_logging" "data" {
  bucket        = aws_s3_bucket.data.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "data/"
}
"""
    module = module_from({"main.tf": text})
    assert correct(finding("CKV_AWS_145", "aws_s3_bucket.logs"), module).status == "skipped"
    assert correct(finding("CKV_AWS_145", "aws_s3_bucket.data"), module).status == "failed"


def test_split_address() -> None:
    assert split_address('module.a["x.y"].module.b.data.x.y[0]') == ('module.a["x.y"].module.b.', "data.x.y[0]")
    assert split_address("aws_s3_bucket.b") == ("", "aws_s3_bucket.b")
