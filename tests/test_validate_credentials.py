"""tfgen.credentials: credential formats and secret-looking names (shared by init and validate)."""

from __future__ import annotations

import pytest

from tfgen.credentials import find_credentials, is_placeholder, is_secret_name, looks_like_credential, name_tokens

# Fake credentials, shaped like real ones (AWS's documented example key pair among them).
CREDENTIALS = {
    "AKIAIOSFODNN7EXAMPLE": "AWS access key id",
    "ASIAY34FZKBOKMUTVV7A": "AWS access key id",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY": "AWS secret access key",
    "ghp_" + "R2d2C3po" * 4 + "1234": "GitHub token",
    "github_pat_" + "11ABCDEFG0" * 7: "GitHub fine-grained token",
    "glpat-" + "x1Y2z3W4v5U6t7S8r9Q0": "GitLab token",
    "xoxb-123456789012-1234567890123-" + "AbCdEfGhIjKlMnOp": "Slack token",
    "-----BEGIN RSA PRIVATE KEY-----\nMIIE...": "private key (PEM)",
    "-----BEGIN OPENSSH PRIVATE KEY-----": "private key (PEM)",
    "-----BEGIN PRIVATE KEY-----": "private key (PEM)",
    "postgres://app:Sup3rS3cret@db.example.com:5432/app": "password in a URL",
    "AIza" + "SyD-abcdefghijklmnopqrstuvwxyz01234": "Google API key",
    "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc": "Stripe live key",
    "npm_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8": "npm token",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U": "JSON web token",
}

NOT_CREDENTIALS = [
    "123456789012",
    "eu-west-1",
    "demo",
    "proton/repository-token",
    "/app/prod/db_password",
    "arn:aws:iam::123456789012:role/KeyAdmin",
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
    "baseline/terraform.tfstate",
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",  # a SHA-1, 40 hex characters
    "https://${var.user}:${var.password}@example.com",  # interpolated, not literal
    "https://example.com/path",
    "ManagedBy",
    "tfgen",
    "",
    # A statement id of 40 letters and one digit (terraform-aws-modules/terraform-aws-ecs): words, not
    # a key; a random 40-character key holds two or more digits, `/` or `+` in 99.7% of cases.
    "ProvisionEC2InstancesForManagedInstances",
]


@pytest.mark.parametrize("value,kind", sorted(CREDENTIALS.items()))
def test_known_formats_are_found(value: str, kind: str) -> None:
    assert looks_like_credential(value) == kind


@pytest.mark.parametrize("value", NOT_CREDENTIALS)
def test_ordinary_values_are_not_credentials(value: str) -> None:
    assert looks_like_credential(value) is None


def test_find_credentials_reports_positions_inside_text() -> None:
    text = 'locals {\n  key = "AKIAIOSFODNN7EXAMPLE"\n}\n'
    [match] = find_credentials(text)
    assert text[match.start : match.end] == "AKIAIOSFODNN7EXAMPLE"
    assert match.kind == "AWS access key id"


def test_access_key_inside_a_longer_identifier_is_not_a_match() -> None:
    assert looks_like_credential("XAKIAIOSFODNN7EXAMPLEX") is None


@pytest.mark.parametrize(
    "name",
    [
        "password",
        "db_password",
        "DB_PASSWORD",
        "dbMasterPassword",
        "master-password",
        "passwd",
        "secret",
        "secret_key",
        "access_key",
        "api_key",
        "apiKey",
        "private_key",
        "token",
        "auth_token",
        "github_token",
        "client_secret",
        "secret_string",
        "password_wo",
        "connection_string",
        "credentials",
    ],
)
def test_secret_names(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "password_length",
        "password_reset_required",
        "max_password_age",
        "manage_master_user_password",
        "secret_names",
        "secret_name",
        "secret_id",
        "secret_arn",
        "kms_key_id",
        "password_wo_version",
        "api_key_source",
        "description",
        "public_key",
        "key_name",
        "token_type",
        "secrets",
        "name",
        "value",
        "customer_master_key_spec",
        "key_usage",
        # a password's settings, not its value (real-world false positives: docs/accuracy.md)
        "master_user_password_rotation_schedule_expression",
        "random_password_override_special",
        "admin_password_special_characters",
        "ds_managed_ad_admin_secret_sufix",  # the suffix of a secret's name, misspelt
    ],
)
def test_metadata_names_are_not_secret(name: str) -> None:
    assert not is_secret_name(name)


def test_name_tokens_split_every_convention() -> None:
    assert name_tokens("dbMasterPassword") == ["db", "master", "password"]
    assert name_tokens("DB_MASTER_PASSWORD") == ["db", "master", "password"]
    assert name_tokens("db-master.password") == ["db", "master", "password"]


@pytest.mark.parametrize(
    "value",
    [
        "",
        "  ",
        "arn:aws:secretsmanager:eu-west-1:1:secret:x",
        "/app/db/password",
        "alias/data",
        "{{resolve:secretsmanager:db}}",
        "<set me>",
    ],
)
def test_placeholders(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize("value", ["hunter2", "changeme", "Winter2024-Ops!"])
def test_literal_passwords_are_not_placeholders(value: str) -> None:
    assert not is_placeholder(value)
