"""How Proton passed the inputs decides what an expression meant: under `inputs = map(string)`
every typed input reads as Proton's string wherever a type could change the result, and nowhere
else; the deployment's own `proton.*.variables.tf` beside --inputs decides, else tfgen assumes
and says so."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfgen.cli import app
from tfgen.migrate.proton.rewrite import ENVIRONMENT, rewrite

runner = CliRunner()
BUNDLES = Path(__file__).resolve().parent / "proton_bundles"
FLAGS = BUNDLES / "env_flags"

PROTON_ANY = 'variable "environment" {\n  type = object({\n    name   = string\n    inputs = any\n  })\n}\n'
PROTON_MAP = PROTON_ANY.replace("inputs = any", "inputs = map(string)")

# (expression with X for the input read, keeps Proton's string) for a number input under map(string).
CONTEXTS = [
    ('a = X == "30"', True),
    ('a = "30" == X', True),
    ("a = X != 30", True),
    ("a = jsonencode({ n = X })", True),
    ("a = [X]", True),
    ('a = templatefile("t", { n = X })', True),
    ('a = c ? X : "n"', True),
    ("a = c ? 1 : X", True),
    ("a = X", True),  # a local: its type travels on
    ("a = X + 1", False),
    ("a = 1 + X", False),
    ("a = 2 * X == 6", False),  # X is an operand of *, which binds tighter than ==
    ("a = X > 2", False),
    ("a = -X", False),
    ("a = X ? 1 : 0", False),
    ('a = "${X} days"', False),
    ('a = "${X}"', True),  # a template that is one interpolation is its value, type and all
    ('a = "${ X }"', True),
    ('a = "${X}${X}"', False),
    ('a = "-${X}"', False),
    ('a = max(1, "${X}")', False),  # the template's own context decides
    ('a = "%{ if X }y%{ endif }"', False),
    ("a = l[X]", False),
    ("a = tonumber(X)", False),
    ("a = max(1, X)", False),
    ("a = (X) + 1", False),
    ("a = format(X)", True),
    ("a = [for v in l : v if X]", False),  # a for's condition converts to bool
    ("a = [for v in l : X]", True),
    ('a = "%{ for v in X }${v}%{ endfor }"', True),
    ("a = X /* why */ + 1", False),  # the parent node decides, whatever lies between the tokens
    ("a = (X\n    + 1)", False),
    ("a = { k = X }.k", True),
]


@pytest.mark.parametrize(("expression", "kept"), CONTEXTS)
def test_a_typed_input_reads_as_protons_string_where_its_type_matters(expression: str, kept: bool) -> None:
    text = "locals {\n  " + expression.replace("X", "var.environment.inputs.n") + "\n}\n"
    out = rewrite(text, ENVIRONMENT, {"n"}, strings={"n"}).text
    assert ("tostring(var.n)" in out) is kept, out
    assert "var.environment" not in out


def test_resource_arguments_convert_but_other_blocks_do_not() -> None:
    text = (
        'resource "aws_cloudwatch_log_group" "g" {\n  retention_in_days = var.environment.inputs.n\n}\n'
        'resource "aws_cloudwatch_log_group" "h" {\n  retention_in_days = "${var.environment.inputs.n}"\n}\n'
        'resource "terraform_data" "d" {\n  input = var.environment.inputs.n\n}\n'
        'module "m" {\n  source = "./m"\n  n      = var.environment.inputs.n\n}\n'
        'output "n" {\n  value = var.environment.inputs.n\n}\n'
    )
    out = rewrite(text, ENVIRONMENT, {"n"}, strings={"n"}).text
    # An AWS argument has a schema type; terraform_data.input, a module argument and an output do not.
    assert "retention_in_days = var.n\n" in out
    assert 'retention_in_days = "${var.n}"\n' in out
    assert "input = tostring(var.n)" in out and "= tostring(var.n)\n}" in out
    assert out.count("tostring(var.n)") == 3


def test_idioms_keep_protons_string_too() -> None:
    text = 'locals {\n  a = lookup(var.environment.inputs, "n", 5)\n  b = try(var.environment.inputs.n, 5)\n}\n'
    out = rewrite(text, ENVIRONMENT, {"n"}, strings={"n"}).text
    assert "a = (var.n == null ? 5 : tostring(var.n))" in out
    # Proton's try gave "7" or the number 5: a conditional would make 5 a string.
    assert "b = try([for v in [tostring(var.n)] : v if v != null][0], 5)" in out
    same_type = 'locals {\n  c = try(var.environment.inputs.n, "5")\n}\n'
    assert 'c = (var.n == null ? "5" : tostring(var.n))' in rewrite(same_type, ENVIRONMENT, {"n"}, strings={"n"}).text


def _migrate(tmp_path: Path, beside: str | None, name: str) -> tuple[int, str, str]:
    deployment = tmp_path / f"deployment-{name}"
    deployment.mkdir()
    shutil.copy(FLAGS / "proton-inputs.json", deployment / "proton-inputs.json")
    if beside is not None:
        (deployment / "proton.environment.variables.tf").write_text(beside, encoding="utf-8")
    out = tmp_path / name
    result = runner.invoke(
        app,
        [
            "migrate",
            "proton",
            str(FLAGS / "v1"),
            "--out",
            str(out),
            "--inputs",
            str(deployment / "proton-inputs.json"),
            "--skip-checkov",
        ],
    )
    main = (out / "main.tf").read_text(encoding="utf-8") if (out / "main.tf").exists() else ""
    return result.exit_code, main, result.output


def test_the_deployments_variables_file_decides_else_map_string_is_assumed_and_said(tmp_path: Path) -> None:
    code, declared_map, output = _migrate(tmp_path, PROTON_MAP, "map")
    assert code in (0, 1), output
    assert "tfgen: note:" not in output
    assert 'tostring(var.enable_audit) == "true"' in declared_map
    code, assumed, output = _migrate(tmp_path, None, "assumed")
    assert code in (0, 1), output
    assert assumed == declared_map
    assert "tfgen: note: environment: inputs = map(string) (assumed" in output
    code, declared_any, output = _migrate(tmp_path, PROTON_ANY, "any")
    assert code in (0, 1), output
    assert "tostring(" not in declared_any and 'var.enable_audit == "true"' in declared_any
    readme = (tmp_path / "any" / "README.md").read_text(encoding="utf-8")
    assert "`inputs = any` (declared in proton.environment.variables.tf)" in readme


def test_an_array_input_through_map_string_is_refused_with_file_and_line(tmp_path: Path) -> None:
    deployment = tmp_path / "deployment"
    deployment.mkdir()
    shutil.copy(BUNDLES / "env_network" / "proton-inputs.json", deployment / "proton-inputs.json")
    (deployment / "proton.environment.variables.tf").write_text(PROTON_MAP, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "migrate",
            "proton",
            str(BUNDLES / "env_network" / "v1"),
            "--out",
            str(out),
            "--inputs",
            str(deployment / "proton-inputs.json"),
            "--skip-checkov",
        ],
    )
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "infrastructure/main.tf:" in lines[0] and "map(string)" in lines[0], lines
    assert not out.exists()


def test_example_root_moves_every_address_and_re_exports_outputs(tmp_path: Path) -> None:
    code, _, output = _migrate(tmp_path, None, "flags")
    assert code in (0, 1), output
    example = tmp_path / "flags" / "examples" / "flags-prod"
    moved = (example / "moved.tf").read_text(encoding="utf-8")
    for address in (
        "aws_ssm_parameter.replica",  # counted
        "aws_ssm_parameter.named",  # for_each
        "aws_s3_bucket.data",
        "module.labels",  # a module call moves with everything in it
    ):
        assert f"from = {address}\n  to   = module.environment.{address}\n" in moved, moved
    outputs = (example / "outputs.tf").read_text(encoding="utf-8")
    assert 'output "Replicas" {\n  value = module.environment.Replicas\n}' in outputs
    readme = (tmp_path / "flags" / "README.md").read_text(encoding="utf-8")
    assert "## Cut-over from the Proton deployment's state" in readme and "from = module.labels" in readme
