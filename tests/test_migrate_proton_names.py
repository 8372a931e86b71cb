"""Names and values Terraform reserves or cannot write: a schema input named `count` or `source`,
an object property named `for`/`in`/`if`, `maximum: .inf`, a YAML date as a string's default give a
module `terraform validate` accepts (renamed inputs mapped in the README); NaN, infinities, dates
where the type is not a string, a bundle's own `variable "source"` or `variable "a b"` give one line
naming the file and line, exit 2, nothing written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support import terraform as tfenv
from support.in_process_cli import refused
from typer.testing import CliRunner

from tfgen.cli import app
from tfgen.hcl.read import parse_text

runner = CliRunner()

SCHEMA = """schema:
  format:
    openapi: "3.0.0"
  environment_input_type: "Input"
  types:
    Input:
      type: object
      properties:
        count:
          type: integer
          default: 2
        source:
          type: string
          default: "git"
        version:
          type: string
        settings:
          type: object
          required: [for]
          properties:
            for:
              type: string
            in:
              type: number
              default: 1
            if:
              type: boolean
        limit:
          type: number
          minimum: 0
          maximum: .inf
        day:
          type: string
          default: 2024-01-01
"""
MAIN = """resource "terraform_data" "each" {
  count = var.environment.inputs.count
  input = "${var.environment.inputs.source}@${var.environment.inputs.version}"
}

output "count" {
  value = var.environment.inputs.count
}

output "settings_for" {
  value = var.environment.inputs.settings["for"]
}

output "day" {
  value = var.environment.inputs.day
}
"""
MANIFEST = (
    "infrastructure:\n  templates:\n    - file: '*'\n      rendering_engine: hcl\n      template_language: terraform\n"
)
INPUTS = {
    "environment": {
        "name": "names",
        "inputs": {"count": 3, "version": "1.2", "settings": {"for": "a", "in": 2, "if": True}, "limit": 1e9},
    }
}


def write_bundle(root: Path, schema: str = SCHEMA, main: str = MAIN) -> Path:
    (root / "schema").mkdir(parents=True)
    (root / "infrastructure").mkdir()
    (root / "schema" / "schema.yaml").write_text(schema, encoding="utf-8")
    (root / "infrastructure" / "manifest.yaml").write_text(MANIFEST, encoding="utf-8")
    (root / "infrastructure" / "main.tf").write_text(main, encoding="utf-8")
    return root


def migrate(*args: str):
    return runner.invoke(app, ["migrate", "proton", *args, "--skip-checkov"])


@pytest.mark.terraform
def test_reserved_names_are_renamed_and_terraform_validates(terraform_env: tfenv.TerraformEnv, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "bundle")
    spec = tmp_path / "proton-inputs.json"
    spec.write_text(json.dumps(INPUTS), encoding="utf-8")
    out = tmp_path / "out"
    result = migrate(str(bundle), "--out", str(out), "--inputs", str(spec))
    assert result.exit_code in (0, 1), result.output
    main = (out / "main.tf").read_text(encoding="utf-8")
    assert "count = var.input_count" in main and "${var.input_source}@${var.input_version}" in main
    variables = parse_text((out / "variables.tf").read_text(encoding="utf-8"), "variables.tf").data["variable"]
    names = {name.strip('"') for block in variables for name in block}
    assert {"input_count", "input_source", "input_version", "settings", "limit", "day"} <= names
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "| `input_count` |" in readme and "`var.environment.inputs.count` |" in readme
    text = (out / "variables.tf").read_text(encoding="utf-8")
    assert 'default  = "2024-01-01"' in text  # a YAML date, Proton's JSON string
    assert "inf" not in text  # maximum: .inf bounds nothing
    example = (out / "examples" / "names" / "main.tf").read_text(encoding="utf-8")
    assert "input_count" in example and '"for" = "a"' in example
    # Validating the example validates the module it calls: one init + validate (hashicorp/aws
    # 5.100 loaded, about 2.7 CPU s) for both.
    copy = tfenv.copy_tree(out, tmp_path / "copy")
    where = copy / "examples" / "names"
    init = terraform_env.run(["init", "-backend=false", "-input=false", "-no-color"], where, check=False)
    assert init.returncode == 0, init.describe()
    assert tfenv.called_module_dirs(where) == {copy.resolve()}
    check = terraform_env.run(["validate", "-json", "-no-color"], where, check=False)
    assert json.loads(check.stdout)["valid"] is True, check.describe()
    fmt = terraform_env.run(["fmt", "-check", "-recursive", "-no-color"], out, check=False)
    assert fmt.returncode == 0, fmt.describe()


BAD = [
    (
        "        count:\n          type: integer\n          default: 2\n",
        "        count:\n          type: number\n          default: .nan\n",
        "schema/schema.yaml:11: count: default cannot be written as Terraform: nan",
    ),
    (
        "          maximum: .inf\n",
        "          maximum: .inf\n          default: .inf\n",
        "schema/schema.yaml:32: limit: default cannot be written as Terraform: inf",
    ),
    (
        "          minimum: 0\n",
        "          minimum: .inf\n",
        "schema/schema.yaml:30: limit: minimum inf has no Terraform equivalent",
    ),
    (
        "          type: integer\n          default: 2\n",
        "          type: integer\n          default: 2024-01-01\n",
        "schema/schema.yaml:11: count: default 2024-01-01 is not of type integer",
    ),
    (
        '          type: string\n          default: "git"\n',
        "          type: string\n          enum: [.nan]\n",
        "schema/schema.yaml:14: source: enum cannot be written",
    ),
    (
        "            in:\n              type: number\n              default: 1\n"
        "            if:\n              type: boolean\n",
        "",
        "schema/schema.yaml:21: settings.for: an object type whose only property is `for`",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "expected"), BAD, ids=["nan", "inf-default", "inf-minimum", "date-integer", "nan-enum", "only-for"]
)
def test_values_terraform_cannot_write_are_refused_in_one_line(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in SCHEMA
    bundle = write_bundle(tmp_path / "bundle", schema=SCHEMA.replace(old, new, 1))
    line = refused(migrate(str(bundle), "--out", str(tmp_path / "o")))
    assert expected in line, line
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("label", "expected"), [("source", "a name Terraform reserves"), ("a b", "not a valid identifier")]
)
def test_a_bundles_own_variable_terraform_refuses_names_its_line(tmp_path: Path, label: str, expected: str) -> None:
    bundle = write_bundle(tmp_path / "bundle", main=MAIN + f'\nvariable "{label}" {{\n  type = string\n}}\n')
    line = refused(migrate(str(bundle), "--out", str(tmp_path / "o")))
    assert f'infrastructure/main.tf:18: variable "{label}": {expected}' in line, line
    assert not (tmp_path / "o").exists()
    shutil.rmtree(bundle)
