"""The account_encryption module: EBS encrypted by default (the region's EBS key); S3's account public access block."""

from __future__ import annotations

from tfgen.hcl.values import Expr, Template
from tfgen.init.blueprint_model.expect import Expect, document

ADDRESSES = frozenset(
    {
        "data.aws_iam_policy_document.ebs",
        "aws_kms_key.ebs",
        "aws_kms_alias.ebs",
        "aws_ebs_encryption_by_default.this",
        "aws_ebs_default_kms_key.this",
        "aws_s3_account_public_access_block.this",
    }
)

EXPECTS: tuple[Expect, ...] = (
    Expect(
        "main.tf",
        ("resource", "aws_kms_key", "ebs"),
        {
            "enable_key_rotation": True,
            "deletion_window_in_days": Expr("var.deletion_window_in_days"),
            "policy": Expr("data.aws_iam_policy_document.ebs.json"),
        },
    ),
    Expect("main.tf", ("resource", "aws_kms_alias", "ebs"), {"name": Template("alias/${var.name}-ebs")}),
    Expect("main.tf", ("resource", "aws_ebs_encryption_by_default", "this"), {"enabled": True}),
    Expect("main.tf", ("resource", "aws_ebs_default_kms_key", "this"), {"key_arn": Expr("aws_kms_key.ebs.arn")}),
    Expect(
        "main.tf",
        ("resource", "aws_s3_account_public_access_block", "this"),
        {
            "count": Expr("var.account_wide ? 1 : 0"),
            "account_id": Expr("var.account_id"),
            "block_public_acls": True,
            "block_public_policy": True,
            "ignore_public_acls": True,
            "restrict_public_buckets": True,
        },
    ),
    document(
        "ebs",
        {
            "EnableIAMPoliciesForAccount": {
                "actions": ["kms:*"],
                "principals.type": "AWS",
                "principals.identifiers": [Expr("local.account_root_arn")],
            },
            "AllowKeyAdministration": {"principals.identifiers": Expr("statement.value")},
            "AllowEBSThroughEC2ForAccount": {
                "principals.identifiers": ["*"],
                "condition[0].test": "StringEquals",
                "condition[0].variable": "kms:CallerAccount",
                "condition[0].values": [Expr("var.account_id")],
                "condition[1].test": "StringEquals",
                "condition[1].variable": "kms:ViaService",
                "condition[1].values": [Template("ec2.${var.region}.${local.dns_suffix}")],
            },
        },
    ),
)
