"""The s3 module: one secure bucket (ownership enforced, public access blocked, versioned, SSE, TLS-only policy)."""

from __future__ import annotations

from tfgen.hcl.values import Expr, Template
from tfgen.init.blueprint_model.expect import Expect, document

ADDRESSES = frozenset(
    {
        "aws_s3_bucket.this",
        "aws_s3_bucket_ownership_controls.this",
        "aws_s3_bucket_public_access_block.this",
        "aws_s3_bucket_versioning.this",
        "aws_s3_bucket_server_side_encryption_configuration.this",
        "aws_s3_bucket_logging.this",
        "aws_s3_bucket_lifecycle_configuration.this",
        "aws_s3_bucket_notification.this",
        "data.aws_iam_policy_document.this",
        "aws_s3_bucket_policy.this",
    }
)

EXPECTS: tuple[Expect, ...] = (
    Expect(
        "main.tf",
        ("resource", "aws_s3_bucket", "this"),
        {
            "bucket": Expr("var.bucket_name"),
            "force_destroy": Expr("var.force_destroy"),
        },
    ),
    Expect(
        "main.tf",
        ("resource", "aws_s3_bucket_ownership_controls", "this"),
        {
            "rule.object_ownership": "BucketOwnerEnforced",
        },
    ),
    Expect(
        "main.tf",
        ("resource", "aws_s3_bucket_public_access_block", "this"),
        {
            "block_public_acls": True,
            "block_public_policy": True,
            "ignore_public_acls": True,
            "restrict_public_buckets": True,
        },
    ),
    Expect(
        "main.tf",
        ("resource", "aws_s3_bucket_versioning", "this"),
        {
            "versioning_configuration.status": "Enabled",
        },
    ),
    Expect(
        "main.tf",
        ("resource", "aws_s3_bucket_server_side_encryption_configuration", "this"),
        {
            "rule.apply_server_side_encryption_by_default.sse_algorithm": Expr('local.sse_kms ? "aws:kms" : "AES256"'),
            "rule.apply_server_side_encryption_by_default.kms_master_key_id": Expr("var.kms_key_arn"),
            "rule.bucket_key_enabled": Expr("local.sse_kms"),
        },
    ),
    Expect(
        "main.tf",
        ("locals",),
        {
            "sse_kms": Expr("var.kms_key_arn != null"),
        },
    ),
    Expect(
        "main.tf",
        ("resource", "aws_s3_bucket_logging", "this"),
        {
            "count": Expr("var.access_logging == null ? 0 : 1"),
            "target_bucket": Expr("var.access_logging.target_bucket"),
        },
    ),
    Expect(
        "main.tf",
        ("resource", "aws_s3_bucket_lifecycle_configuration", "this"),
        {
            "rule[0].status": "Enabled",
            "rule[0].abort_incomplete_multipart_upload.days_after_initiation": Expr(
                "var.abort_incomplete_multipart_upload_days"
            ),
            "rule[1].status": "Enabled",
            "rule[1].noncurrent_version_expiration.noncurrent_days": Expr("var.noncurrent_version_expiration_days"),
        },
    ),
    Expect(
        "main.tf",
        ("resource", "aws_s3_bucket_notification", "this"),
        {
            "eventbridge": True,
        },
    ),
    document(
        "this",
        {
            "DenyInsecureTransport": {
                "effect": "Deny",
                "actions": ["s3:*"],
                "condition.test": "Bool",
                "condition.variable": "aws:SecureTransport",
                "condition.values": ["false"],
            },
            "DenyOutdatedTLS": {
                "effect": "Deny",
                "condition.test": "NumericLessThan",
                "condition.variable": "s3:TlsVersion",
                "condition.values": ["1.2"],
            },
            "AllowCloudTrailAclCheck": {
                "actions": ["s3:GetBucketAcl"],
                "condition.variable": "aws:SourceArn",
            },
            "AllowCloudTrailWrite": {
                "actions": ["s3:PutObject"],
                "resources": [Template("${local.bucket_arn}/AWSLogs/${var.account_id}/*")],
                "condition[0].variable": "s3:x-amz-acl",
                "condition[0].values": ["bucket-owner-full-control"],
                "condition[1].variable": "aws:SourceArn",
            },
            "AllowServerAccessLogDelivery": {
                "principals.identifiers": ["logging.s3.amazonaws.com"],
                "condition[1].variable": "aws:SourceAccount",
            },
        },
    ),
    Expect(
        "main.tf",
        ("resource", "aws_s3_bucket_policy", "this"),
        {
            "policy": Expr("data.aws_iam_policy_document.this.json"),
        },
    ),
    Expect(
        "variables.tf",
        ("variable", "force_destroy"),
        {
            "default": False,
        },
    ),
    Expect(
        "variables.tf",
        ("variable", "noncurrent_version_expiration_days"),
        {
            "default": 365,
        },
    ),
)
