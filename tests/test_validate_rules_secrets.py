"""tfgen's `secrets` rules: literal credentials anywhere, by format and by name; SSM SecureString.

The cases are tests/cases/rules/secrets/."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.rule_cases import case_names, case_results, case_text
from support.validate import results_for, statuses

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"  # in every access_key_id/<case>


@pytest.mark.parametrize("where", case_names("secrets", "access_key_id"))
def test_credential_formats_are_found_everywhere(where: str) -> None:
    results = case_results("secrets", "access_key_id", where)
    assert "failed" in statuses(results, "TFGEN_SECRETS_1"), where
    [failure] = [r for r in results if r.rule.id == "TFGEN_SECRETS_1" and r.status == "failed"]
    text = case_text("secrets", "access_key_id", where)
    assert failure.line == next(i for i, line in enumerate(text.splitlines(), 1) if ACCESS_KEY in line)
    assert failure.message == "AWS access key id in the file"


def test_credential_in_tfvars_names_the_variable() -> None:
    [failure] = [
        r for r in case_results("secrets", "token_in_tfvars") if r.rule.id == "TFGEN_SECRETS_1" and r.status == "failed"
    ]
    assert (failure.line, failure.address, failure.message) == (2, "var.token", "GitHub token in the file")


def test_credential_in_tf_json() -> None:
    assert "failed" in statuses(case_results("secrets", "password_in_tf_json"), "TFGEN_SECRETS_1")


def test_clean_file_passes_the_format_rule() -> None:
    assert statuses(case_results("secrets", "clean"), "TFGEN_SECRETS_1") == ["passed"]


# The one address each literal under a secret name is reported at (literal_under_secret_name/<case>).
LITERAL_ADDRESSES = {
    "resource_argument": "aws_db_instance.db",
    "variable_default": "var.db_password",
    "local": "local.api_token",
    "output": "output.client_secret",
    "map_key": "aws_lambda_function.f",
    "jsonencode_key": "aws_secretsmanager_secret_version.v",
    "name_value_pair": "local.env",
    "secret_named_literal": "local.app_secret",
}


@pytest.mark.parametrize("where", case_names("secrets", "literal_under_secret_name"))
def test_literal_values_under_secret_names_fail(where: str) -> None:
    address = LITERAL_ADDRESSES[where]  # a new case needs its address here
    results = case_results("secrets", "literal_under_secret_name", where)
    failures = [r for r in results if r.rule.id == "TFGEN_SECRETS_2" and r.status == "failed"]
    assert [r.address for r in failures] == [address], where


def test_literal_secret_in_tfvars_fails() -> None:
    results = case_results("secrets", "literal_secret_in_tfvars")
    failures = [r for r in results if r.rule.id == "TFGEN_SECRETS_2" and r.status == "failed"]
    assert [(r.address, r.line) for r in failures] == [("var.db_password", 1)]


@pytest.mark.parametrize("case", case_names("secrets", "references_and_metadata"))
def test_references_and_metadata_pass(case: str) -> None:
    results = case_results("secrets", "references_and_metadata", case)
    assert "failed" not in statuses(results, "TFGEN_SECRETS_2")
    assert "failed" not in statuses(results, "TFGEN_SECRETS_3")


def test_a_format_hit_is_not_reported_twice() -> None:
    results = case_results("secrets", "access_key_id", "provider_block")
    failed = [r.rule.id for r in results if r.status == "failed"]
    assert failed == ["TFGEN_SECRETS_1"]


def test_secret_named_ssm_parameter_must_be_secure_string() -> None:
    def verdict(case: str) -> list[str]:
        return statuses(case_results("secrets", "ssm_parameter", case), "TFGEN_SECRETS_3")

    assert verdict("db_password_string") == ["failed"]
    assert verdict("api_key_string_list") == ["failed"]
    assert verdict("db_password_secure_string") == ["passed"]
    assert verdict("log_level_string") == []


def test_secret_named_ssm_parameter_with_a_literal_value_fails() -> None:
    failures = [r for r in case_results("secrets", "ssm_secure_string_literal") if r.status == "failed"]
    assert [r.rule.id for r in failures] == ["TFGEN_SECRETS_2"]


_SECRET_NAMES = ["db_password", "api_token", "client_secret", "master_password", "app_secret"]
_PATH_WORD = st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)


def _variable(name: str, default: str) -> list[str]:
    text = f'variable "{name}" {{\n  type      = string\n  default   = "{default}"\n  sensitive = true\n}}\n'
    return statuses(results_for(text), "TFGEN_SECRETS_2")


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(_SECRET_NAMES),
    sentinel=st.sampled_from(["null", "None", "NULL", "nil", "undefined", "unset", "n/a"]),
)
def test_a_sentinel_default_is_never_a_literal_secret(name: str, sentinel: str) -> None:
    """A variable default that says "no value" is not a credential, in any spelling."""
    assert _variable(name, sentinel) == ["passed"]


@settings(max_examples=40, deadline=None)
@given(
    prefix=st.sampled_from(["db_password", "api_token", "app", "db"]),
    words=st.lists(_PATH_WORD, min_size=2, max_size=4),
    secret=st.from_regex(r"[A-Za-z0-9+][A-Za-z0-9+/]{11,23}={0,2}", fullmatch=True),
)
def test_a_secret_name_under_a_secret_reference_passes_and_a_secret_fails(
    prefix: str, words: list[str], secret: str
) -> None:
    """`<x>_secret = "prod/app/db"` names where the secret lives; a random value there is the secret."""
    assert _variable(f"{prefix}_secret", "/".join(words)) == ["passed"]
    if not re.fullmatch(r"[a-z0-9/+=-]*", secret):  # mixed case, as generated secrets are
        assert _variable(f"{prefix}_secret", secret) == ["failed"], secret


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(["ssh_private_key", "private_key", "tls_private_key", "api_token"]),
    start=st.sampled_from(["~/", "./", "../", "~/.ssh/", ""]),
    words=st.lists(_PATH_WORD, min_size=1, max_size=3),
    extension=st.sampled_from([".pem", ".key", ".ppk", ".PEM", ""]),
)
def test_a_key_file_path_is_not_a_key(name: str, start: str, words: list[str], extension: str) -> None:
    """A default naming where a key file is (`~/.ssh/id_rsa`, `certs/server.key`) is not the key."""
    path = start + "/".join(words) + (extension or ("" if start else ".pem"))
    assert _variable(name, path) == ["passed"], path


@pytest.mark.parametrize("switch", ["false", "true", "False", "TRUE"])
def test_a_switch_written_as_a_string_is_not_a_password(switch: str) -> None:
    text = f'resource "aws_instance" "i" {{\n  get_password_data = "{switch}"\n}}\n'
    assert statuses(results_for(text), "TFGEN_SECRETS_2") == ["passed"]
