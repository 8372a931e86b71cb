"""tfgen's `secrets` rules: literal credentials anywhere, by format and by name; SSM SecureString.

The cases are tests/cases/rules/secrets/."""

from __future__ import annotations

import base64
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.rule_cases import case_dir, case_names, case_results, case_text
from support.validate import results_for, statuses

from tfgen.validate import ValidateOptions, validate_paths

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
    # inside text: a shell script in user data (as written, base64-encoded, in base64encode()) and
    # JSON written as a heredoc (trivy-checks' AWS-0122 and AWS-0036 examples have these shapes)
    "user_data_export": "aws_launch_configuration.web",
    "user_data_base64": "aws_launch_configuration.web",
    "launch_template_user_data": "aws_launch_template.web",
    "launch_template_plain": "aws_launch_template.web",
    "container_definitions_heredoc": "aws_ecs_task_definition.app",
    "user_data_file": "aws_instance.web",
}


def _literal_failures(*case: str) -> list[tuple[str, int, str]]:
    """(address, line, message) of TFGEN_SECRETS_2's failures on a case; a case that holds other
    files (a script read with file()) is validated as a tree, so those files are read."""
    if any(p.is_dir() for p in case_dir("secrets", *case).iterdir()):
        report = validate_paths([str(case_dir("secrets", *case))], ValidateOptions(run_checkov=False))
        return [(f.resource, f.line, f.message) for f in report.failed if f.id == "TFGEN_SECRETS_2"]
    results = case_results("secrets", *case)
    return [(r.address, r.line, r.message) for r in results if r.rule.id == "TFGEN_SECRETS_2" and r.status == "failed"]


@pytest.mark.parametrize("where", case_names("secrets", "literal_under_secret_name"))
def test_literal_values_under_secret_names_fail(where: str) -> None:
    address = LITERAL_ADDRESSES[where]  # a new case needs its address here
    failures = _literal_failures("literal_under_secret_name", where)
    assert [address for address, _, _ in failures] == [address], where


# The line of the assignment inside the text, or of the argument where the text is encoded.
EMBEDDED_LINES = {
    "user_data_export": 10,
    "user_data_base64": 6,
    "launch_template_user_data": 7,
    "launch_template_plain": 8,
    "container_definitions_heredoc": 11,
    "user_data_file": 5,
}


@pytest.mark.parametrize("where", sorted(EMBEDDED_LINES))
def test_a_literal_inside_text_is_reported_at_its_line(where: str) -> None:
    [(_, line, message)] = _literal_failures("literal_under_secret_name", where)
    assert line == EMBEDDED_LINES[where]
    assert "literal value in" in message


def test_a_script_read_as_user_data_names_the_call() -> None:
    [(_, _, message)] = _literal_failures("literal_under_secret_name", "user_data_file")
    assert message == (
        "'DB_PASSWORD' is set to a literal value in the user data file(\"${path.module}/scripts/bootstrap.sh\") reads"
    )


def test_literal_secret_in_tfvars_fails() -> None:
    results = case_results("secrets", "literal_secret_in_tfvars")
    failures = [r for r in results if r.rule.id == "TFGEN_SECRETS_2" and r.status == "failed"]
    assert [(r.address, r.line) for r in failures] == [("var.db_password", 1)]


@pytest.mark.parametrize("case", case_names("secrets", "references_and_metadata"))
def test_references_and_metadata_pass(case: str) -> None:
    results = case_results("secrets", "references_and_metadata", case)
    assert _literal_failures("references_and_metadata", case) == []
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


def _user_data(script: str, encoded: bool) -> list[str]:
    """TFGEN_SECRETS_2's failures on an instance whose user data is `script`."""
    if encoded:
        argument = f'user_data_base64 = "{base64.b64encode(script.encode()).decode()}"'
    else:
        argument = "user_data = <<EOF\n" + script.replace("${", "$${") + "\nEOF"
    text = f'resource "aws_instance" "web" {{\n  ami = "ami-0abcdef1234567890"\n  {argument}\n}}\n'
    return [r.message for r in results_for(text) if r.rule.id == "TFGEN_SECRETS_2" and r.status == "failed"]


_SHELL_NAMES = st.sampled_from(["DB_PASSWORD", "API_TOKEN", "CLIENT_SECRET", "ADMIN_PASSWORD"])
_PREFIX = st.sampled_from(["", "export ", "readonly ", "declare -x "])


@settings(max_examples=40, deadline=None)
@given(
    name=_SHELL_NAMES,
    prefix=_PREFIX,
    value=st.from_regex(r"[A-Za-z][A-Za-z0-9]{7,20}", fullmatch=True),
    quote=st.sampled_from(["", "'", '"']),
    encoded=st.booleans(),
)
def test_a_literal_assigned_in_user_data_fails_however_written(
    name: str, prefix: str, value: str, quote: str, encoded: bool
) -> None:
    script = f"#!/bin/bash\n{prefix}{name}={quote}{value}{quote}\n/opt/app/start\n"
    assert _user_data(script, encoded) == [f"{name!r} is set to a literal value in user data"], script


@settings(max_examples=40, deadline=None)
@given(
    name=_SHELL_NAMES,
    prefix=_PREFIX,
    value=st.sampled_from(
        [
            "$(aws secretsmanager get-secret-value --secret-id db --query SecretString --output text)",
            '"$(cat /run/secrets/db)"',
            "$FROM_SSM",
            '"${FROM_SSM}"',
            '"$1"',
            "`cat /run/secrets/db`",
            "",
        ]
    ),
    encoded=st.booleans(),
)
def test_a_value_the_script_computes_at_boot_passes(name: str, prefix: str, value: str, encoded: bool) -> None:
    script = f"#!/bin/bash\n{prefix}{name}={value}\n/opt/app/start\n"
    assert _user_data(script, encoded) == [], script


@pytest.mark.parametrize("depth", [50, 900, 3000])
def test_json_text_nested_beyond_what_python_decodes_is_not_a_crash(depth: int) -> None:
    text = (
        'resource "aws_ecs_task_definition" "app" {\n  family = "app"\n'
        f"  container_definitions = <<EOF\n{'[' * depth}{']' * depth}\nEOF\n}}\n"
    )
    results = results_for(text)
    assert [r.rule.id for r in results if r.status == "failed"] == []
