"""The secrets module: Secrets Manager secrets and SSM SecureStrings on the data key."""

from __future__ import annotations

from tfgen.hcl.values import Expr
from tfgen.init.blueprint_model.expect import Expect

ADDRESSES = frozenset(
    {
        "aws_secretsmanager_secret.this",
        "ephemeral.aws_secretsmanager_random_password.parameter",
        "aws_ssm_parameter.this",
    }
)

EXPECTS: tuple[Expect, ...] = (
    Expect(
        "main.tf",
        ("resource", "aws_secretsmanager_secret", "this"),
        {
            "for_each": Expr("var.secret_names"),
            "kms_key_id": Expr("var.kms_key_arn"),
        },
    ),
    Expect(
        "main.tf",
        ("ephemeral", "aws_secretsmanager_random_password", "parameter"),
        {
            "count": Expr("length(var.secure_parameter_names) > 0 ? 1 : 0"),
            "password_length": 32,
        },
    ),
    Expect(
        "main.tf",
        ("resource", "aws_ssm_parameter", "this"),
        {
            "type": "SecureString",
            "key_id": Expr("var.kms_key_arn"),
            "value_wo": Expr("ephemeral.aws_secretsmanager_random_password.parameter[0].random_password"),
            "value_wo_version": Expr("var.secure_parameter_value_version"),
        },
    ),
)
