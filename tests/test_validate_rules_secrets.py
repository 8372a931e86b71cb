"""tfgen's `secrets` rules: literal credentials anywhere, by format and by name; SSM SecureString."""

from __future__ import annotations

import pytest
from support.validate import module_from, results_for, statuses

from tfgen.validate.rules import run_rules

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"


@pytest.mark.parametrize("where,text", [
    ("resource argument", f'resource "aws_iam_access_key" "k" {{\n  user = "u"\n  pgp_key = "{ACCESS_KEY}"\n}}\n'),
    ("variable default", f'variable "k" {{\n  default = "{ACCESS_KEY}"\n}}\n'),
    ("local", f'locals {{\n  k = "{ACCESS_KEY}"\n}}\n'),
    ("output", f'output "k" {{\n  value = "{ACCESS_KEY}"\n}}\n'),
    ("provider block", f'provider "aws" {{\n  access_key = "{ACCESS_KEY}"\n}}\n'),
    ("comment", f'# old key: {ACCESS_KEY}\nlocals {{\n  a = 1\n}}\n'),
    ("heredoc", f'locals {{\n  script = <<EOT\nexport AWS_ACCESS_KEY_ID={ACCESS_KEY}\nEOT\n}}\n'),
    ("jsonencode", f'locals {{\n  doc = jsonencode({{ key = "{ACCESS_KEY}" }})\n}}\n'),
])
def test_credential_formats_are_found_everywhere(where: str, text: str) -> None:
    results = results_for(text)
    assert "failed" in statuses(results, "TFGEN_SECRETS_1"), where
    [failure] = [r for r in results if r.rule.id == "TFGEN_SECRETS_1" and r.status == "failed"]
    assert failure.line == next(i for i, line in enumerate(text.splitlines(), 1) if ACCESS_KEY in line)
    assert failure.message == "AWS access key id in the file"


def test_credential_in_tfvars_names_the_variable() -> None:
    module = module_from({"terraform.tfvars": 'region = "eu-west-1"\ntoken  = "ghp_' + "R2d2C3po" * 4 + '1234"\n'})
    [failure] = [r for r in run_rules(module) if r.rule.id == "TFGEN_SECRETS_1" and r.status == "failed"]
    assert (failure.line, failure.address, failure.message) == (2, "var.token", "GitHub token in the file")


def test_credential_in_tf_json() -> None:
    module = module_from({"main.tf.json": '{"locals": {"url": "postgres://u:Sup3rS3cret@db:5432/x"}}'})
    assert "failed" in statuses(list(run_rules(module)), "TFGEN_SECRETS_1")


def test_clean_file_passes_the_format_rule() -> None:
    assert statuses(results_for('locals {\n  region = "eu-west-1"\n}\n'), "TFGEN_SECRETS_1") == ["passed"]


@pytest.mark.parametrize("where,text,address", [
    ("resource argument", 'resource "aws_db_instance" "db" {\n  password = "changeme123"\n}\n', "aws_db_instance.db"),
    ("variable default", 'variable "db_password" {\n  type    = string\n  default = "Winter2024!"\n}\n', "var.db_password"),
    ("local", 'locals {\n  api_token = "tok-123456"\n}\n', "local.api_token"),
    ("output", 'output "client_secret" {\n  value = "s3cr3t-value"\n}\n', "output.client_secret"),
    ("map key", 'resource "aws_lambda_function" "f" {\n  environment {\n    variables = {\n      DB_PASSWORD = "hunter2hunter2"\n    }\n  }\n}\n', "aws_lambda_function.f"),
    ("jsonencode key", 'resource "aws_secretsmanager_secret_version" "v" {\n  secret_id     = "s"\n  secret_string = jsonencode({ password = "hunter2hunter2" })\n}\n', "aws_secretsmanager_secret_version.v"),
    ("name/value pair", 'locals {\n  env = [{ name = "API_KEY", value = "abc123def456" }]\n}\n', "local.env"),
])
def test_literal_values_under_secret_names_fail(where: str, text: str, address: str) -> None:
    failures = [r for r in results_for(text) if r.rule.id == "TFGEN_SECRETS_2" and r.status == "failed"]
    assert [r.address for r in failures] == [address], where


def test_literal_secret_in_tfvars_fails() -> None:
    module = module_from({"prod.tfvars": 'db_password = "hunter2hunter2"\n'})
    failures = [r for r in run_rules(module) if r.rule.id == "TFGEN_SECRETS_2" and r.status == "failed"]
    assert [(r.address, r.line) for r in failures] == [("var.db_password", 1)]


@pytest.mark.parametrize("text", [
    'resource "aws_db_instance" "db" {\n  password = var.db_password\n}\n',
    'resource "aws_db_instance" "db" {\n  password_wo = ephemeral.aws_secretsmanager_secret_version.db.secret_string\n}\n',
    'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n',
    'variable "db_password" {\n  type    = string\n  default = ""\n}\n',
    'resource "aws_ssm_parameter" "p" {\n  name  = "/app/db_password_arn"\n  type  = "String"\n  value = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"\n}\n',
    'resource "aws_db_instance" "db" {\n  manage_master_user_password = true\n  password_length = 32\n}\n',
])
def test_references_and_metadata_pass(text: str) -> None:
    assert "failed" not in statuses(results_for(text), "TFGEN_SECRETS_2")
    assert "failed" not in statuses(results_for(text), "TFGEN_SECRETS_3")


def test_a_format_hit_is_not_reported_twice() -> None:
    results = results_for(f'provider "aws" {{\n  access_key = "{ACCESS_KEY}"\n}}\n')
    failed = [r.rule.id for r in results if r.status == "failed"]
    assert failed == ["TFGEN_SECRETS_1"]


SSM = 'resource "aws_ssm_parameter" "p" {\n  name  = "%s"\n  type  = "%s"\n  value = var.v\n}\n'


def test_secret_named_ssm_parameter_must_be_secure_string() -> None:
    assert statuses(results_for(SSM % ("/app/prod/db_password", "String")), "TFGEN_SECRETS_3") == ["failed"]
    assert statuses(results_for(SSM % ("/app/prod/api-key", "StringList")), "TFGEN_SECRETS_3") == ["failed"]
    assert statuses(results_for(SSM % ("/app/prod/db_password", "SecureString")), "TFGEN_SECRETS_3") == ["passed"]
    assert statuses(results_for(SSM % ("/app/prod/log_level", "String")), "TFGEN_SECRETS_3") == []


def test_secret_named_ssm_parameter_with_a_literal_value_fails() -> None:
    text = 'resource "aws_ssm_parameter" "p" {\n  name  = "/app/token"\n  type  = "SecureString"\n  value = "abc-literal"\n}\n'
    failures = [r for r in results_for(text) if r.status == "failed"]
    assert [r.rule.id for r in failures] == ["TFGEN_SECRETS_2"]
