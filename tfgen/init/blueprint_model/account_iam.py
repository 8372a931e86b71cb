"""The account_iam module: the CIS password policy and support role (account-wide), IAM Access Analyzer (per region)."""

from __future__ import annotations

from tfgen.hcl.values import Expr, Template
from tfgen.init.blueprint_model.expect import Expect, document

# CIS AWS Foundations v3.0.0 1.8 and 1.9: what the password policy must hold at least.
MIN_PASSWORD_LENGTH = 14
PASSWORD_REUSE_PREVENTION = 24
SUPPORT_POLICY = "AWSSupportAccess"

ADDRESSES = frozenset(
    {
        "aws_iam_account_password_policy.this",
        "data.aws_iam_policy_document.support_trust",
        "aws_iam_role.support",
        "aws_iam_role_policy_attachment.support",
        "aws_accessanalyzer_analyzer.this",
    }
)

EXPECTS: tuple[Expect, ...] = (
    Expect(
        "main.tf",
        ("resource", "aws_iam_account_password_policy", "this"),
        {
            "count": Expr("var.account_wide ? 1 : 0"),
            "minimum_password_length": Expr("var.minimum_password_length"),
            "password_reuse_prevention": Expr("var.password_reuse_prevention"),
            "require_lowercase_characters": True,
            "require_uppercase_characters": True,
            "require_numbers": True,
            "require_symbols": True,
            "allow_users_to_change_password": True,
        },
    ),
    Expect("variables.tf", ("variable", "minimum_password_length"), {"default": MIN_PASSWORD_LENGTH}),
    Expect("variables.tf", ("variable", "password_reuse_prevention"), {"default": PASSWORD_REUSE_PREVENTION}),
    document(
        "support_trust",
        {
            "AssumeSupportRole": {
                "actions": ["sts:AssumeRole"],
                "principals.type": "AWS",
                "principals.identifiers": Expr("var.support_trusted_principal_arns"),
                "condition.test": "Bool",
                "condition.variable": "aws:MultiFactorAuthPresent",
                "condition.values": ["true"],
            },
        },
    ),
    Expect(
        "main.tf",
        ("resource", "aws_iam_role_policy_attachment", "support"),
        {"policy_arn": Template(f"arn:${{var.partition}}:iam::aws:policy/{SUPPORT_POLICY}")},
    ),
    Expect(
        "main.tf",
        ("resource", "aws_accessanalyzer_analyzer", "this"),
        {"count": Expr("var.create_access_analyzer ? 1 : 0"), "type": "ACCOUNT"},
    ),
)
