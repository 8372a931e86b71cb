"""`tfgen migrate proton` through the CLI: what it writes, what it keeps, what it refuses."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.in_process_cli import refused
from typer.testing import CliRunner

from tfgen.cli import app
from tfgen.hcl.read import parse_text

runner = CliRunner()
BUNDLES = Path(__file__).resolve().parent / "proton_bundles"
ENV = BUNDLES / "env_network" / "v1"
SVC = BUNDLES / "svc_web" / "v1"
# A read of a Proton object inside an expression (python-hcl2 serializes expressions as ${...}).
PROTON_READ = re.compile(r"(?<!\$)\$\{[^}]*\bvar\.(environment|service|service_instance|pipeline)\b")


def migrate(*args: str):
    return runner.invoke(app, ["migrate", "proton", *args, "--skip-checkov"])


def tf_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.tf") if ".tfgen" not in p.parts)


def variables(path: Path) -> dict[str, dict]:
    parsed = parse_text(path.read_text(encoding="utf-8"), str(path))
    return {name.strip('"'): body for block in parsed.data["variable"] for name, body in block.items()}


def test_environment_bundle_becomes_one_standard_module(tmp_path: Path) -> None:
    out = tmp_path / "network"
    result = migrate(str(ENV), "--out", str(out))
    assert result.exit_code == 1, result.output  # the bundle's AWS managed key is a failed finding
    assert "no Proton reference left" in result.output
    assert {p.name for p in out.iterdir()} >= {
        "main.tf",
        "config.tf",
        "variables.tf",
        "versions.tf",
        "outputs.tf",
        "README.md",
    }
    assert not (out / "manifest.yaml").exists()
    for path in tf_files(out):
        parsed = parse_text(path.read_text(encoding="utf-8"), str(path))  # parses back
        assert not PROTON_READ.search(json.dumps(parsed.data)), path
    config = (out / "config.tf").read_text(encoding="utf-8")
    assert "backend" not in parse_text(config, "config.tf").data["terraform"][0]
    assert 'variable "environment"' not in config
    assert "# Proton fills in the backend at deploy time." in config  # comments stay


def test_rewrites_touch_only_the_expressions(tmp_path: Path) -> None:
    migrate(str(ENV), "--out", str(tmp_path / "o"))
    before = (ENV / "infrastructure" / "main.tf").read_text(encoding="utf-8")
    after = (tmp_path / "o" / "main.tf").read_text(encoding="utf-8")
    # Every comment, the odd spacing and literal text survive byte for byte.
    for kept in (
        "/* Network environment.\n   A comment that mentions var.environment.inputs.vpc_cidr must stay as written. */",
        "# name: environment name plus the optional suffix",
        "   # odd spacing kept",
        "// trailing comment",
        '"var.environment.inputs.tier stays literal text, and so does $${var.environment.name}"',
    ):
        assert kept in before and kept in after
    assert "  has_suffix   =   (var.name_suffix != null)   # odd spacing kept\n" in after
    assert '"${var.environment_name}${(var.name_suffix == null ? "" : var.name_suffix)}"' in after
    assert "retention = (var.retention_days == null ? 30 : var.retention_days)" in after
    assert "has_retention = (var.retention_days != null)" in after
    assert '    %{ if var.tier == "prod" }production%{ endif }\n' in after  # heredoc directive
    assert "endpoint=${var.endpoint.service}" in after
    # Same number of lines: no line was added or dropped in a rewritten file.
    assert before.count("\n") == after.count("\n")


def test_schema_types_defaults_and_constraints(tmp_path: Path) -> None:
    migrate(str(ENV), "--out", str(tmp_path / "o"))
    v = variables(tmp_path / "o" / "variables.tf")
    assert v["team"]["type"] == "string" and v["team"]["nullable"] is False and "default" not in v["team"]
    assert v["nat_gateways"]["type"] == "number" and v["nat_gateways"]["default"] == 1
    assert v["enable_dns"]["type"] == "bool"
    assert v["availability_zones"]["type"] == "${list(string)}"
    assert v["extra_tags"]["type"] == "${map(string)}"
    # An object with an optional property is declared `any`: an object type would add the property
    # the deployment left out (as null or its default); the schema's shape is a validation instead.
    assert v["endpoint"]["type"] == "any"
    assert v["retention_days"]["default"] is None and "nullable" not in v["retention_days"]  # optional: nullable
    conditions = {name: [c["condition"] for c in body.get("validation", [])] for name, body in v.items()}
    assert any("regex(" in c for c in conditions["team"])
    assert any('contains(["dev", "prod"]' in c for c in conditions["tier"])
    assert any("floor(var.nat_gateways)" in c for c in conditions["nat_gateways"])
    assert any("var.flow_log_ratio > 0" in c for c in conditions["flow_log_ratio"])  # exclusiveMinimum
    assert any("length(var.availability_zones) >= 1" in c for c in conditions["availability_zones"])
    assert any("alltrue([for item in var.availability_zones" in c for c in conditions["availability_zones"])
    assert all(c.startswith("${var.name_suffix == null ? true :") for c in conditions["name_suffix"])
    assert any('contains(keys(var.endpoint), "service")' in c for c in conditions["endpoint"])
    assert v["environment_name"]["nullable"] is False


def test_service_bundle_one_module_per_part(tmp_path: Path) -> None:
    out = tmp_path / "web"
    result = migrate(str(SVC), "--out", str(out))
    assert result.exit_code == 0, result.output
    inst = variables(out / "instance" / "variables.tf")
    assert {
        "port",
        "image",
        "code_bucket",
        "service_name",
        "service_instance_name",
        "environment_name",
        "environment_vpc_id",
        "environment_cluster_name",
        "environment_task_execution_role_arn",
        "environment_private_subnet_id",
        "component_outputs",
    } <= set(inst)
    main = (out / "instance" / "main.tf").read_text(encoding="utf-8")
    assert "vpc_id = var.environment_vpc_id" in main
    assert "uses_bucket = (var.code_bucket != null)" in main
    assert "can(var.service_instance.components.default)" not in main and "(length(var.component_outputs) > 0)" in main
    pipe = variables(out / "pipeline" / "variables.tf")
    # Proton's own declaration of the instances' inputs (map(string) assumed: no variables file given),
    # so each.value.inputs.port reads what it read under Proton.
    assert pipe["service_instances"]["type"].startswith("${list(object({name = string, inputs = map(string), ")
    assert {"dockerfile", "service_name", "service_repository_id", "service_branch_name"} <= set(pipe)
    # versions.tf: the bundle's own (backend removed) followed by tfgen's required_version; a part
    # that declares no required_providers gets hashicorp/aws from tfgen.
    versions = parse_text((out / "instance" / "versions.tf").read_text(encoding="utf-8"), "v").data["terraform"]
    assert [sorted(k for k in b if not k.startswith("__")) for b in versions] == [
        ["required_providers"],
        ["required_version"],
    ]
    pipe_versions = parse_text((out / "pipeline" / "versions.tf").read_text(encoding="utf-8"), "v").data["terraform"][0]
    assert pipe_versions["required_providers"][0]["aws"]["source"] == '"hashicorp/aws"'


def test_inputs_give_an_example_root(tmp_path: Path) -> None:
    out = tmp_path / "web"
    result = migrate(str(SVC), "--out", str(out), "--inputs", str(BUNDLES / "svc_web" / "proton-inputs.json"))
    assert result.exit_code == 0, result.output
    main = parse_text((out / "examples" / "web-prod" / "main.tf").read_text(encoding="utf-8"), "main.tf").data
    call = main["module"][0]['"instance"']
    assert call["source"] == '"../../instance"' and call["port"] == 80 and call["environment_vpc_id"] == '"vpc-0123"'
    assert call["environment_private_subnet_id"] == "${var.environment_private_subnet_id}"  # not in the inputs file
    assert call["log_level"] == "${var.log_level}"  # the bundle's own required variable is passed through too
    declared = variables(out / "examples" / "web-prod" / "variables.tf")
    assert {"environment_private_subnet_id", "environment_task_execution_role_arn", "log_level"} == set(declared)
    assert main["terraform"][0]["backend"] == [{'"s3"': {"__is_block__": True}}]  # left for the user to fill in
    spec = migrate(str(SVC), "--out", str(tmp_path / "spec"), "--inputs", str(BUNDLES / "svc_web" / "spec.yaml"))
    assert spec.exit_code == 0, spec.output
    pipeline_call = parse_text(
        (tmp_path / "spec" / "examples" / "web-dev" / "main.tf").read_text(encoding="utf-8"), "m"
    ).data["module"]
    assert {'"instance"', '"pipeline"'} == {name for block in pipeline_call for name in block}


def test_proton_tags_become_a_variable_that_the_example_sets_from_the_deployment(tmp_path: Path) -> None:
    """Proton declared `variable "proton_tags"` (`map(string)`) beside every part and set it in
    proton.auto.tfvars.json; a template tags resources with it (the instance of svc_web does)."""
    doc = json.loads((BUNDLES / "svc_web" / "proton-inputs.json").read_text(encoding="utf-8"))
    doc["proton_tags"] = {"proton:account": "123456789012", "proton:service": "arn:aws:proton:::service/web"}
    (tmp_path / "deployment").mkdir()
    spec = tmp_path / "deployment" / "proton.auto.tfvars.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    bundle = tmp_path / "bundle"
    shutil.copytree(SVC, bundle)
    own = bundle / "instance_infrastructure" / "proton.variables.tf"  # a bundle carrying Proton's declaration
    own.write_text('variable "proton_tags" {\n  type    = map(string)\n  default = null\n}\n', encoding="utf-8")
    out = tmp_path / "web"
    result = migrate(str(bundle), "--out", str(out), "--inputs", str(spec))
    assert result.exit_code == 0, result.output
    declared = variables(out / "instance" / "variables.tf")["proton_tags"]
    assert (declared["type"], declared["default"]) == ("${map(string)}", {})
    assert "proton_tags" not in variables(out / "pipeline" / "variables.tf")  # the pipeline never reads it
    assert "variable" not in (out / "instance" / "proton.variables.tf").read_text(encoding="utf-8")
    main = (out / "instance" / "main.tf").read_text(encoding="utf-8")
    assert "tags = merge(var.proton_tags, { Name = local.family })" in main
    example = parse_text((out / "examples" / "web-prod" / "main.tf").read_text(encoding="utf-8"), "main.tf").data
    assert example["module"][0]['"instance"']["proton_tags"] == {
        '"proton:account"': '"123456789012"',
        '"proton:service"': '"arn:aws:proton:::service/web"',
    }


def test_rerun_follows_inits_rules(tmp_path: Path) -> None:
    out = tmp_path / "o"
    migrate(str(ENV), "--out", str(out))
    again = migrate(str(ENV), "--out", str(out))
    assert "0 new, 0 changed" in again.output
    (out / "main.tf").write_text("# my edit\n", encoding="utf-8")
    refused = migrate(str(ENV), "--out", str(out))
    assert (
        refused.exit_code == 1 and "refusing to overwrite 1 file(s) changed since generation: main.tf" in refused.output
    )
    assert (out / "main.tf").read_text(encoding="utf-8") == "# my edit\n"
    forced = migrate(str(ENV), "--out", str(out), "--force")
    assert "1 changed" in forced.output and "# my edit" not in (out / "main.tf").read_text(encoding="utf-8")


def test_rerun_never_replaces_a_file_tfgen_did_not_write(tmp_path: Path) -> None:
    """As for init: a file with no manifest entry is never replaced, --force or not."""
    out = tmp_path / "o"
    out.mkdir()
    (out / "main.tf").write_text("# mine, not tfgen's\n", encoding="utf-8")
    for extra in ((), ("--force",)):
        refused = migrate(str(ENV), "--out", str(out), *extra)
        assert refused.exit_code == 1 and "main.tf" in refused.output, refused.output
        assert (out / "main.tf").read_text(encoding="utf-8") == "# mine, not tfgen's\n"


def test_a_losing_concurrent_migrate_says_so_in_migrates_words(tmp_path: Path) -> None:
    import fcntl
    import os

    out = tmp_path / "o"
    migrate(str(ENV), "--out", str(out))
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # what a migrate still writing `out` holds
        line = refused(migrate(str(ENV), "--out", str(out), "--force"))
    finally:
        os.close(fd)
    assert "another tfgen migrate proton is writing it" in line, line
    assert "init" not in line


def test_rerun_never_writes_through_a_symlink_in_out(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "o", tmp_path / "elsewhere"
    migrate(str(ENV), "--out", str(out))
    elsewhere.mkdir()
    (out / ".tfgen").rename(elsewhere / ".tfgen")
    (out / ".tfgen").symlink_to(elsewhere / ".tfgen")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    refused = migrate(str(ENV), "--out", str(out), "--force")
    assert refused.exit_code == 2 and ".tfgen" in refused.output, refused.output
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def copy_bundle(src: Path, dst: Path) -> Path:
    import shutil

    shutil.copytree(src, dst)
    return dst


def test_cloudformation_bundle_is_refused(tmp_path: Path) -> None:
    line = refused(migrate(str(BUNDLES / "cfn_env" / "v1"), "--out", str(tmp_path / "o")))
    assert "manifest.yaml:5: a CloudFormation bundle" in line and "template_language: terraform" in line
    assert not (tmp_path / "o").exists()


def test_an_expression_it_cannot_rewrite_names_file_and_line(tmp_path: Path) -> None:
    line = refused(migrate(str(BUNDLES / "bad_whole_inputs" / "v1"), "--out", str(tmp_path / "o")))
    assert "bad_whole_inputs/v1/infrastructure/main.tf:4: var.environment.inputs is read as a whole" in line
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda b: (b / "schema" / "schema.yaml").unlink(), "schema/schema.yaml: missing"),
        (
            lambda b: (b / "schema" / "schema.yaml").write_text("schema:\n  types: [unclosed\n", encoding="utf-8"),
            "schema/schema.yaml:3: invalid YAML",
        ),
        (
            lambda b: (b / "schema" / "schema.yaml").write_text(
                (ENV / "schema" / "schema.yaml").read_text(encoding="utf-8").replace("type: boolean", "type: file"),
                encoding="utf-8",
            ),
            "schema/schema.yaml:43: enable_dns: type 'file' has no Terraform equivalent",
        ),
        (
            lambda b: (b / "schema" / "schema.yaml").write_text(
                (ENV / "schema" / "schema.yaml")
                .read_text(encoding="utf-8")
                .replace("pattern: '^[a-z][a-z0-9-]{2,30}$'", "pattern: '^(?!x)'"),
                encoding="utf-8",
            ),
            "schema/schema.yaml:16: team: pattern '^(?!x)' uses lookaround",
        ),
        (
            lambda b: (b / "schema" / "schema.yaml").write_text(
                (ENV / "schema" / "schema.yaml")
                .read_text(encoding="utf-8")
                .replace(
                    "        enable_dns:\n          type: boolean\n          default: true\n",
                    "        enable_dns: yes\n",
                ),
                encoding="utf-8",
            ),
            "schema/schema.yaml:42: enable_dns: a property must be a mapping",
        ),
        (
            lambda b: (b / "infrastructure" / "manifest.yaml").write_text("infrastructure: [1]\n", encoding="utf-8"),
            "infrastructure/manifest.yaml:1: not a Proton manifest",
        ),
        (lambda b: __import__("shutil").rmtree(b / "infrastructure"), "missing directory"),
        (lambda b: (b / "infrastructure" / "manifest.yaml").unlink(), "infrastructure/manifest.yaml: missing"),
        (
            lambda b: (b / "infrastructure" / "x.tf").write_text(
                "locals {\n  a = var.environment.inputs.nope\n}\n", encoding="utf-8"
            ),
            "infrastructure/x.tf:2: var.environment.inputs.nope: 'nope' is not a property",
        ),
        (
            lambda b: (b / "infrastructure" / "x.tf").write_text(
                "locals {\n  a = var.service.name\n}\n", encoding="utf-8"
            ),
            "infrastructure/x.tf:2: var.service.name: Proton gives a environment template no var.service",
        ),
        (
            lambda b: (b / "infrastructure" / "x.tf").write_text("locals {\n  a = = 1\n}\n", encoding="utf-8"),
            "infrastructure/x.tf:2: unexpected",
        ),
        (
            lambda b: (b / "infrastructure" / "x.tf").symlink_to("/etc/hostname"),
            "infrastructure/x.tf: cannot read: a symlink",
        ),
        (
            lambda b: __import__("os").mkfifo(b / "infrastructure" / "x.tf"),
            "infrastructure/x.tf: cannot read: not a regular file",
        ),
    ],
    ids=[
        "no-schema",
        "invalid-yaml",
        "unknown-type",
        "re2-lookaround",
        "property-not-a-mapping",
        "manifest-shape",
        "no-part-directory",
        "no-manifest",
        "input-not-in-schema",
        "object-not-available",
        "hcl-syntax",
        "symlink-out",
        "fifo",
    ],
)
def test_bad_bundles_one_line_exit_2_nothing_written(tmp_path: Path, change, expected: str) -> None:  # noqa: ANN001
    bundle = copy_bundle(ENV, tmp_path / "bundle")
    change(bundle)
    line = refused(migrate(str(bundle), "--out", str(tmp_path / "o")))
    assert expected in line, line
    assert not (tmp_path / "o").exists()


def test_not_a_directory_and_an_init_tree_are_refused(tmp_path: Path) -> None:
    line = refused(migrate(str(tmp_path / "nope"), "--out", str(tmp_path / "o")))
    assert "nope: not a directory" in line
    init_tree = tmp_path / "init"
    (init_tree / ".tfgen").mkdir(parents=True)
    (init_tree / ".tfgen" / "manifest.json").write_text(
        json.dumps({"tool": "tfgen", "blueprint_version": "1", "files": {}}), encoding="utf-8"
    )
    assert "holds a tree tfgen wrote with another command" in refused(migrate(str(ENV), "--out", str(init_tree)))


@pytest.mark.parametrize(
    ("text", "suffix", "expected"),
    [
        (
            '{"environment": {"name": "x", "inputs": {"colour": "red"}}}',
            ".json",
            "input 'colour' is not in the bundle's schema",
        ),
        ('{"environment": {\n  "name": }', ".json", "inputs.json:2: invalid JSON"),
        ("proton: EnvironmentSpec\nspec: [unclosed\n", ".yaml", "inputs.yaml:3: invalid YAML"),
        (
            "proton: PipelineSpec\n",
            ".yaml",
            "inputs.yaml:1: proton: 'PipelineSpec': expected EnvironmentSpec or ServiceSpec",
        ),
    ],
)
def test_bad_inputs_file_one_line_nothing_written(tmp_path: Path, text: str, suffix: str, expected: str) -> None:
    spec = tmp_path / f"inputs{suffix}"
    spec.write_text(text, encoding="utf-8")
    line = refused(migrate(str(ENV), "--out", str(tmp_path / "o"), "--inputs", str(spec)))
    assert expected in line, line
    assert not (tmp_path / "o").exists()


def test_missing_checkov_fails_before_anything_is_written(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["migrate", "proton", str(ENV), "--out", str(tmp_path / "o"), "--checkov", str(tmp_path / "no-checkov")]
    )
    line = refused(result)
    assert "checkov not found" in line
    assert not (tmp_path / "o").exists()


# Any YAML shape in a schema, manifest or spec is either converted or refused in one line: never a
# traceback (a manifest whose `infrastructure` is a list, say, is a refusal, not an AttributeError).
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-5, 70000)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
KEYS = st.sampled_from(
    [
        "schema",
        "types",
        "type",
        "properties",
        "items",
        "required",
        "default",
        "enum",
        "pattern",
        "minimum",
        "maxLength",
        "environment_input_type",
        "NetworkInput",
        "infrastructure",
        "templates",
        "template_language",
        "rendering_engine",
        "additionalProperties",
        "string",
        "array",
        "object",
        "proton",
        "spec",
        "a",
    ]
)
DOCS = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4), max_leaves=12
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(["schema/schema.yaml", "infrastructure/manifest.yaml", "spec", "property"]), doc=DOCS)
def test_any_yaml_shape_is_converted_or_refused_in_one_line(
    tmp_path_factory: pytest.TempPathFactory, target: str, doc: object
) -> None:
    import yaml

    from tfgen.errors import TfgenError
    from tfgen.migrate.proton import render_files

    bundle = copy_bundle(ENV, tmp_path_factory.mktemp("b") / "bundle")
    text = yaml.safe_dump(doc)
    spec = None
    if target == "property":  # one input property of any shape inside a valid schema
        schema = {
            "schema": {"environment_input_type": "T", "types": {"T": {"type": "object", "properties": {"p": doc}}}}
        }
        (bundle / "schema" / "schema.yaml").write_text(yaml.safe_dump(schema), encoding="utf-8")
    elif target == "spec":
        spec = bundle.parent / "spec.yaml"
        spec.write_text(text, encoding="utf-8")
    else:
        (bundle / target).write_text(text, encoding="utf-8")
    try:
        render_files(bundle, spec)
    except TfgenError as exc:
        assert "\n" not in str(exc) and str(exc)


def test_the_installed_command_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tfgen", "migrate", "proton", *args], capture_output=True, text=True, timeout=300
        )

    missing = run(str(ENV))
    assert missing.returncode == 2 and missing.stderr.strip().splitlines() == ["tfgen: error: Missing option '--out'."]
    done = run(str(SVC), "--out", str(tmp_path / "web"), "--skip-checkov")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"tfgen: migrated {SVC} into {tmp_path / 'web'}: instance (instance, ")
    assert "tfgen validate: PASSED" in done.stdout


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        # A template that reads proton.auto.tfvars.json itself would still depend on Proton after
        # the rewrite, with every declared variable unused: refused, not migrated half-way.
        ("reads_proton_inputs_file.tf", "reads_proton_inputs_file.tf:4: reads proton.auto.tfvars.json"),
        # Two declarations of one variable after migration (labels keep their quotes in python-hcl2's
        # output: the clash is found on the unquoted names).
        (
            "declares_a_schema_input.tf",
            'declares_a_schema_input.tf:2: declares variable "tier", which tfgen needs for the schema input',
        ),
    ],
)
def test_terraform_cases_refused_with_file_and_line(tmp_path: Path, case: str, expected: str) -> None:
    bundle = copy_bundle(ENV, tmp_path / "bundle")
    (bundle / "infrastructure" / case).write_bytes((BUNDLES / "cases" / case).read_bytes())
    line = refused(migrate(str(bundle), "--out", str(tmp_path / "o")))
    assert f"infrastructure/{expected}" in line, line
    assert not (tmp_path / "o").exists()
