"""TFGEN_SECRETS_4: secret values flowing into places kept or shown in plain text.

Each source reaches each kind of place, through locals, templates, functions, module inputs and
outputs and templatefile() vars; what is not the secret (its id, its digest, a username, a var the
template does not read) passes. The corpus holds the public shapes (tests/corpus/secrets/*/flow_*).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.in_process_cli import json_findings
from support.validate import results_for

RULE = "TFGEN_SECRETS_4"

SOURCES = {
    "access key": ('resource "aws_iam_access_key" "k" {\n  user = "ci"\n}\n', "aws_iam_access_key.k.secret"),
    "smtp password": (
        'resource "aws_iam_access_key" "k" {\n  user = "ci"\n}\n',
        "aws_iam_access_key.k.ses_smtp_password_v4",
    ),
    "random password": ('resource "random_password" "p" {\n  length = 20\n}\n', "random_password.p.result"),
    "private key": ('resource "tls_private_key" "k" {\n  algorithm = "RSA"\n}\n', "tls_private_key.k.private_key_pem"),
    "openssh key": (
        'resource "tls_private_key" "k" {\n  algorithm = "RSA"\n}\n',
        "tls_private_key.k.private_key_openssh",
    ),
    "secret version": (
        'resource "aws_secretsmanager_secret_version" "v" {\n  secret_id = "x"\n  secret_string = "{}"\n}\n',
        "aws_secretsmanager_secret_version.v.secret_string",
    ),
    "secret version data": (
        'data "aws_secretsmanager_secret_version" "v" {\n  secret_id = "x"\n}\n',
        "data.aws_secretsmanager_secret_version.v.secret_string",
    ),
    "securestring": (
        'resource "aws_ssm_parameter" "p" {\n  name = "/a/b"\n  type = "SecureString"\n  value = "x"\n}\n',
        "aws_ssm_parameter.p.value",
    ),
    "db password": (
        'resource "aws_db_instance" "d" {\n  password = var.pw\n}\nvariable "pw" {}\n',
        "aws_db_instance.d.password",
    ),
    "cluster password": (
        'resource "aws_rds_cluster" "c" {\n  master_password = var.pw\n}\nvariable "pw" {}\n',
        "aws_rds_cluster.c.master_password",
    ),
    "stored variable": ('resource "aws_db_instance" "d" {\n  password = var.pw\n}\nvariable "pw" {}\n', "var.pw"),
    "stored through a local": (
        'resource "aws_rds_cluster" "c" {\n  master_password = local.pw\n}\nlocals {\n  pw = var.pw\n}\n'
        'variable "pw" {}\n',
        "var.pw",
    ),
    "stored in a secret string": (
        'resource "aws_secretsmanager_secret_version" "v" {\n  secret_id = "x"\n'
        "  secret_string = jsonencode({ username = var.user, password = var.pw })\n}\n"
        'variable "pw" {}\nvariable "user" {}\n',
        "var.pw",
    ),
    "sensitive variable": ('variable "api_token" {\n  sensitive = true\n}\n', "var.api_token"),
}

PLACES = {
    "user data": 'resource "aws_instance" "i" {\n  user_data = "#!/bin/sh\\necho ${VALUE}"\n}\n',
    "user data base64": 'resource "aws_launch_configuration" "c" {\n  user_data_base64 = base64encode(VALUE)\n}\n',
    "launch template": 'resource "aws_launch_template" "t" {\n  user_data = base64encode("x=${VALUE}")\n}\n',
    "lambda": 'resource "aws_lambda_function" "f" {\n  environment {\n    variables = { X = VALUE }\n  }\n}\n',
    "codebuild": (
        'resource "aws_codebuild_project" "b" {\n  environment {\n    environment_variable {\n'
        '      name  = "X"\n      value = VALUE\n    }\n  }\n}\n'
    ),
    "ecs": (
        'resource "aws_ecs_task_definition" "t" {\n  container_definitions = jsonencode([{\n'
        '    name = "a", environment = [{ name = "X", value = VALUE }]\n  }])\n}\n'
    ),
    "dynamodb item": 'resource "aws_dynamodb_table_item" "i" {\n  item = jsonencode({ x = { S = VALUE } })\n}\n',
    "ssm string": 'resource "aws_ssm_parameter" "s" {\n  name = "/a/c"\n  type = "String"\n  value = VALUE\n}\n',
    "tags": 'resource "aws_s3_bucket" "b" {\n  tags = { Note = VALUE }\n}\n',
    "default tags": 'provider "aws" {\n  default_tags {\n    tags = { Note = VALUE }\n  }\n}\n',
    "output": 'output "o" {\n  value = VALUE\n}\n',
}


def _failures(text: str) -> list[str]:
    return [r.message or "" for r in results_for(text) if r.rule.id == RULE and r.status == "failed"]


def _passes(text: str) -> int:
    return sum(1 for r in results_for(text) if r.rule.id == RULE and r.status == "passed")


@pytest.mark.parametrize("source", sorted(SOURCES))
@pytest.mark.parametrize("place", sorted(PLACES))
def test_every_source_reaching_every_place_fails(source: str, place: str) -> None:
    declared, reference = SOURCES[source]
    [message] = _failures(declared + PLACES[place].replace("VALUE", reference))
    assert message.startswith(reference), message


@pytest.mark.parametrize(
    "value",
    [
        "aws_iam_access_key.k.id",
        "tls_private_key.k.public_key_openssh",
        "sha256(random_password.p.result)",
        "bcrypt(random_password.p.result)",
        "length(random_password.p.result)",
        'random_password.p.result != "" ? "set" : "unset"',
        "local.db.host",
        "var.db_username",
        "aws_secretsmanager_secret_version.v.arn",
        'lookup(local.db, "host")',
    ],
)
def test_what_is_not_the_secret_passes(value: str) -> None:
    declared = (
        'resource "aws_iam_access_key" "k" {\n  user = "ci"\n}\n'
        'resource "tls_private_key" "k" {\n  algorithm = "RSA"\n}\n'
        'resource "random_password" "p" {\n  length = 20\n}\n'
        'resource "aws_secretsmanager_secret_version" "v" {\n  secret_id = "x"\n  secret_string = "{}"\n}\n'
        'locals {\n  db = { host = "db.internal", password = random_password.p.result }\n}\n'
        'variable "db_username" {\n  sensitive = true\n}\n'
    )
    text = declared + 'resource "aws_lambda_function" "f" {\n  environment {\n    variables = { X = VALUE }\n  }\n}\n'
    text = text.replace("VALUE", value)
    assert _failures(text) == [] and _passes(text) == 1


def test_a_sensitive_output_and_a_securestring_parameter_are_not_plaintext_places() -> None:
    text = (
        'resource "random_password" "p" {\n  length = 20\n}\n'
        'output "o" {\n  value     = random_password.p.result\n  sensitive = true\n}\n'
        'resource "aws_ssm_parameter" "s" {\n  name = "/a/c"\n  type = "SecureString"\n'
        "  value = random_password.p.result\n}\n"
    )
    assert _failures(text) == [] and _passes(text) == 0


def test_each_plaintext_codebuild_variable_is_reported_at_its_own_line() -> None:
    text = (
        'resource "random_password" "p" {\n  length = 20\n}\n'
        'resource "aws_codebuild_project" "b" {\n  environment {\n'
        '    environment_variable {\n      name  = "A"\n      value = random_password.p.result\n    }\n'
        '    environment_variable {\n      name  = "B"\n      type  = "PARAMETER_STORE"\n      value = "/a/b"\n    }\n'
        '    environment_variable {\n      name  = "C"\n      type  = "PLAINTEXT"\n'
        "      value = random_password.p.result\n    }\n"
        "  }\n}\n"
    )
    failed = [r for r in results_for(text) if r.rule.id == RULE and r.status == "failed"]
    assert [r.line for r in failed] == [6, 15]  # each `environment_variable` block


def test_a_dynamic_block_reads_its_for_each() -> None:
    text = (
        'resource "random_password" "p" {\n  length = 20\n}\n'
        "locals {\n  build_env = { TOKEN = random_password.p.result }\n}\n"
        'resource "aws_codebuild_project" "b" {\n  environment {\n'
        '    dynamic "environment_variable" {\n      for_each = local.build_env\n'
        "      content {\n        name  = environment_variable.key\n"
        "        value = environment_variable.value\n      }\n    }\n  }\n}\n"
    )
    [message] = _failures(text)
    assert message.startswith("random_password.p.result (a generated password) through local.build_env")


def test_locals_that_refer_to_each_other_end() -> None:
    text = 'locals {\n  a = local.b\n  b = "${local.a}-x"\n}\nresource "aws_instance" "i" {\n  user_data = local.a\n}\n'
    assert _failures(text) == [] and _passes(text) == 1


def _tree(base: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return base


def _flow_messages(tree: Path) -> list[tuple[str, str]]:
    return [
        (f["file"], f["message"])
        for f in json_findings(tree, "--skip-checkov", "--check", RULE)
        if f["status"] == "failed"
    ]


def test_templatefile_carries_only_the_vars_the_template_reads(tmp_path: Path) -> None:
    main = (
        'resource "random_password" "p" {\n  length = 20\n}\n'
        'resource "aws_instance" "i" {\n  user_data = templatefile("${path.module}/boot.tpl", {\n'
        '    host = "db"\n    pw   = random_password.p.result\n  })\n}\n'
    )
    reads = _tree(tmp_path / "reads", {"main.tf": main, "boot.tpl": "#!/bin/sh\nexport PW='${pw}'\n"})
    ignores = _tree(tmp_path / "ignores", {"main.tf": main, "boot.tpl": "#!/bin/sh\necho ${host}\n"})
    [(_, message)] = _flow_messages(reads)
    assert "templatefile() var pw" in message
    assert _flow_messages(ignores) == []


def test_module_inputs_and_outputs_are_followed(tmp_path: Path) -> None:
    tree = _tree(
        tmp_path,
        {
            "main.tf": 'resource "random_password" "p" {\n  length = 20\n}\n'
            'module "app" {\n  source = "./modules/app"\n  password = random_password.p.result\n}\n'
            'output "dsn" {\n  value = module.app.dsn\n}\n',
            "modules/app/main.tf": 'variable "password" {\n  type = string\n}\n'
            'resource "aws_lambda_function" "f" {\n  environment {\n    variables = { PW = var.password }\n  }\n}\n'
            'output "dsn" {\n  value = "postgres://app:${var.password}@db/app"\n}\n',
        },
    )
    found = sorted(_flow_messages(tree))
    assert [file for file, _ in found] == ["main.tf", "modules/app/main.tf", "modules/app/main.tf"]
    assert all(message.startswith("random_password.p.result (a generated password) through") for _, message in found)
    assert "module.app.dsn" in found[0][1]


_PASS_ON = (
    'variable "v" {\n  type = string\n}\nlocals {\n  x = var.v\n}\n'
    'output "o" {\n  value     = local.x\n  sensitive = true\n}\n'
)
_WRAPPER = (
    'variable "v" {\n  type = string\n}\nmodule "m" {\n  source = "../m"\n  v      = var.v\n}\n'
    'output "o" {\n  value     = module.m.o\n  sensitive = true\n}\n'
)


@pytest.mark.parametrize("through", ["m", "w"])
def test_chained_instances_of_one_module_carry_the_secret_through_each(tmp_path: Path, through: str) -> None:
    """`module.b`'s input is `module.a`'s output (cloudposse's `context = module.this.context`), of one
    module or of a wrapper around it: a secret passed to a reaches what b's output feeds, through the
    same local of the module in each instance."""
    tree = _tree(
        tmp_path,
        {
            "modules/m/main.tf": _PASS_ON,
            "modules/w/main.tf": _WRAPPER,
            "live/main.tf": 'resource "random_password" "pw" {\n  length = 20\n}\n'
            f'module "a" {{\n  source = "../modules/{through}"\n  v      = random_password.pw.result\n}}\n'
            f'module "b" {{\n  source = "../modules/{through}"\n  v      = module.a.o\n}}\n'
            'resource "aws_ssm_parameter" "p" {\n  name  = "p"\n  type  = "String"\n  value = module.b.o\n}\n',
        },
    )
    assert [file for file, _ in _flow_messages(tree)] == ["live/main.tf"]


# The ways a value is carried on unchanged in what it becomes (Terraform keeps it sensitive through each).
WRAPPERS = [
    "base64encode({})",
    "jsonencode({{ a = {} }})",
    'format("%s", {})',
    "upper({})",
    '"prefix-${{{}}}"',
    'join(",", [{}])',
    "true ? {} : null",
    'merge({{ x = {} }}, {{}})["x"]',
    "try({}, null)",
    "nonsensitive({})",
]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(WRAPPERS), max_size=4), st.integers(min_value=0, max_value=3), st.booleans())
def test_a_secret_is_followed_through_any_chain_of_locals_and_wrappers(
    wrappers: list[str], locals_count: int, hashed: bool
) -> None:
    """However it is wrapped and passed on through locals, the secret reaches the place; a digest of it does not."""
    value = "random_password.p.result"
    lines = []
    for index, wrapper in enumerate(wrappers):
        value = wrapper.format(value)
        if index < locals_count:
            lines.append(f"  l{index} = {value}")
            value = f"local.l{index}"
    if hashed:
        value = f"sha256({value})"
    text = (
        'resource "random_password" "p" {\n  length = 20\n}\n'
        + ("locals {\n" + "\n".join(lines) + "\n}\n" if lines else "")
        + f'resource "aws_instance" "i" {{\n  user_data = {value}\n}}\n'
    )
    failures = _failures(text)
    assert len(failures) == (0 if hashed else 1), text


def test_a_for_expression_over_a_resource_reads_each_instance_attribute() -> None:
    declared = 'resource "random_password" "users" {\n  for_each = toset(["a", "b"])\n  length = 20\n}\n'
    leaks = declared + 'output "o" {\n  value = { for u, pw in random_password.users : u => pw.result }\n}\n'
    names = declared + 'output "o" {\n  value = [for u, pw in random_password.users : pw.id]\n}\n'
    [message] = _failures(leaks)
    assert message.startswith("random_password.users.result")
    assert _failures(names) == []


def test_the_variable_a_provider_signs_in_with_is_a_secret() -> None:
    text = (
        'variable "secret" {}\nprovider "aws" {\n  access_key = "AKIA"\n  secret_key = var.secret\n}\n'
        'resource "aws_instance" "i" {\n  user_data = "export AWS_SECRET_ACCESS_KEY=${var.secret}"\n}\n'
    )
    [message] = _failures(text)
    assert message.startswith("var.secret (the secret_key provider.aws signs in with)")
