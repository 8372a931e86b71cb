"""Every rewritten expression evaluates to what it evaluated to under Proton: a property test over
random schemas (string, number, integer, boolean, array and object inputs, objects with
properties not required; defaults, constraints), random inputs (leaving out properties a schema
does not require) and random expressions over them, and over a pipeline's
`var.service_instances`, with Proton's inputs passed as `map(string)` and as `any`.

One Terraform root per example calls the bundle as Proton ran it (Proton's declaration of
`var.environment`, the deployment's values with the schema's defaults filled in) next to the
migrated example root, and `terraform apply` evaluates both: their outputs must be equal, or tfgen
must have refused in one line (exit 2). There are no resources and no provider is configured, so
nothing leaves the machine.
The suite runs a few examples; `TFGEN_MEANING_EXAMPLES=200` runs a long search.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import proton_live
from support import terraform as tfenv
from typer.testing import CliRunner

from tfgen.cli import app
from tfgen.hcl.quote import quote, to_hcl

pytestmark = pytest.mark.terraform

runner = CliRunner()
EXAMPLES = int(os.environ.get("TFGEN_MEANING_EXAMPLES", "2"))
MANIFEST = (
    "infrastructure:\n  templates:\n    - file: '*'\n      rendering_engine: hcl\n      template_language: terraform\n"
)

STRINGS = st.sampled_from(["true", "false", "30", "0.5", "", "a b", "prod", "${x}"])
NUMBERS = st.one_of(st.integers(-5, 100), st.sampled_from([0.5, 1.25, 1000.0, -2.5]))


@st.composite
def object_type(draw: st.DrawFn) -> tuple[dict[str, Any], st.SearchStrategy[dict[str, Any]]]:
    """An object type whose properties are required or not (one maybe with a default), and its
    values: a property `required` leaves out is given or left out, as a deployment may."""
    props: dict[str, Any] = {"a": {"type": "string"}, "b": {"type": "number"}, "c": {"type": "boolean"}}
    if draw(st.booleans()):
        props["c"]["default"] = True
    required = draw(st.lists(st.sampled_from(["a", "b", "c"]), unique=True))
    spec: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        spec["required"] = sorted(required)
    strategies = {"a": STRINGS, "b": NUMBERS, "c": st.booleans()}
    values = st.fixed_dictionaries(
        {k: strategies[k] for k in required}, optional={k: strategies[k] for k in props if k not in required}
    )
    return spec, values


@st.composite
def prop(draw: st.DrawFn) -> dict[str, Any]:
    """One schema property: its type, maybe a default, maybe a constraint, and the value Proton passed
    (the deployment's, else the default)."""
    kind = draw(st.sampled_from(["string", "number", "integer", "boolean", "array", "object"]))
    spec: dict[str, Any] = {"type": kind}
    if kind == "array":
        items = draw(st.sampled_from(["string", "number", "object"]))
        if items == "object":
            spec["items"], element = draw(object_type())
        else:
            spec["items"], element = {"type": items}, STRINGS if items == "string" else NUMBERS
        values = st.lists(element, max_size=3)
    elif kind == "object":
        object_spec, values = draw(object_type())
        spec.update(object_spec)
    else:
        values = {
            "string": STRINGS,
            "boolean": st.booleans(),
            "integer": st.integers(0, 50),
            "number": NUMBERS,
        }[kind]
    value = draw(values)
    if draw(st.booleans()):
        spec["default"] = draw(values)
    if kind == "string" and draw(st.booleans()):
        spec["enum"] = sorted({value, "prod", "dev", *([spec["default"]] if "default" in spec else [])})
    if kind in ("number", "integer") and draw(st.booleans()):
        spec["minimum"] = -10
        spec["maximum"] = 1000
    given_value = "default" not in spec or draw(st.booleans())
    return {"spec": spec, "value": value if given_value else spec["default"], "given": given_value}


LITERALS = st.sampled_from(['"true"', "true", '"30"', "30", '"prod"', "0.5", '"0.5"', "null"])


# Reads of an array or object input (under `any`; under map(string) tfgen refuses, the deployment never ran).
COLLECTION_FORMS = {
    "array": [
        "{x}",
        "jsonencode({x})",
        "length({x})",
        'try({x}[0], "none")',
        "[for v in {x} : v]",
        'contains({x}, "30")',
        '"${{jsonencode({x})}}"',
        'concat({x}, ["z"])',
        "{{ v = {x} }}",
    ],
    # A property the schema does not require may be missing: Proton's object then had no such
    # attribute, so bundles read one with try/lookup/can.
    "object": [
        "{x}",
        "jsonencode({x})",
        'try({x}.a, "none")',
        "try({x}.b, 0)",
        'try({x}.a, "") == "30"',
        "can({x}.c)",
        "keys({x})",
        "length({x})",
        'lookup({x}, "a", "d")',
        'lookup({x}, "c", "unset")',
        "[for k, v in {x} : k]",
        "merge({x}, {{ d = 1 }})",
    ],
}


@st.composite
def expression(draw: st.DrawFn, name: str, kind: str) -> str:
    x = f"var.environment.inputs.{name}"
    if kind in COLLECTION_FORMS:
        return draw(st.sampled_from(COLLECTION_FORMS[kind])).format(x=x)
    forms = [
        "{x}",
        "{x} == {lit}",
        "{x} != {lit}",
        "jsonencode({{ v = {x} }})",
        "jsonencode([{x}])",
        '"${{{x}}}"',
        '"v=${{{x}}}"',
        "[{x}]",
        "{{ v = {x} }}",
        'true ? {x} : "s"',
        'false ? "s" : {x}',
        "tostring({x})",
        'format("%v", {x})',
        'lookup({{ a = {x} }}, "a", "d")',
        'try({x}, "d")',
        "try({x}, 5)",
        'coalesce({x}, "z")',
    ]
    if kind in ("number", "integer"):
        forms += ["{x} + 1", "{x} * 2 > 5", "max({x}, 3)", "tonumber({x})", "-{x}", "[1, 2, 3][{x} > 1 ? 1 : 0]"]
    if kind == "boolean":
        forms += ['{x} ? "y" : "n"', "!{x}", "{x} && true", '"%{{ if {x} }}on%{{ else }}off%{{ endif }}"']
    form = draw(st.sampled_from(forms))
    return form.format(x=x, lit=draw(LITERALS))


@st.composite
def case(draw: st.DrawFn) -> dict[str, Any]:
    props = draw(st.dictionaries(st.sampled_from(["alpha", "beta", "gamma", "delta"]), prop(), min_size=1, max_size=3))
    outputs = []
    for name, p in props.items():
        for _ in range(draw(st.integers(1, 3))):
            outputs.append(draw(expression(name, p["spec"]["type"])))
    # An optional input without a default, read the ways bundles read one.
    if draw(st.booleans()):
        given_maybe = draw(st.booleans())
        props["maybe"] = {"spec": {"type": "number"}, "value": 7, "given": given_maybe}
        outputs += [
            'lookup(var.environment.inputs, "maybe", "none")',
            'lookup(var.environment.inputs, "maybe", 5)',
            'try(var.environment.inputs.maybe, 5) == "7"',
            'jsonencode(try(var.environment.inputs.maybe, "none"))',
            'contains(keys(var.environment.inputs), "maybe")',
        ]
    return {
        "kind": "environment",
        "props": props,
        "outputs": outputs,
        "inputs_type": draw(st.sampled_from(["map(string)", "any"])),
    }


# A pipeline's reads of `var.service_instances` (k: an instance input), of its own input and of the service.
PIPELINE_FORMS = [
    "[for i in var.service_instances : i.inputs.{k}]",
    "[for i in var.service_instances : i.inputs.{k} == {lit}]",
    "jsonencode(var.service_instances[*].inputs)",
    "{{ for i in var.service_instances : i.name => i.inputs.{k} }}",
    "length(var.service_instances)",
    "[for i in var.service_instances : i.environment.name]",
    "var.service_instances[0].inputs.{k}",
    '"${{var.service_instances[0].inputs.{k}}}"',
    "var.pipeline.inputs.dockerfile",
    '"${{var.service.name}}-${{var.pipeline.inputs.dockerfile}}"',
]
SCALAR_KINDS = st.sampled_from(["string", "number", "integer", "boolean"])


@st.composite
def pipeline_case(draw: st.DrawFn) -> dict[str, Any]:
    """A service whose pipeline reads its instances' inputs, each instance given every input
    (Proton filled in the defaults)."""
    names = draw(st.lists(st.sampled_from(["alpha", "beta", "gamma"]), min_size=1, max_size=3, unique=True))
    kinds = {name: draw(SCALAR_KINDS) for name in names}
    values = {"string": STRINGS, "boolean": st.booleans(), "integer": st.integers(0, 50), "number": NUMBERS}
    instances = [
        {"name": f"i{n}", "inputs": {name: draw(values[kind]) for name, kind in kinds.items()}}
        for n in range(draw(st.integers(1, 2)))
    ]
    outputs = [
        draw(st.sampled_from(PIPELINE_FORMS)).format(k=draw(st.sampled_from(names)), lit=draw(LITERALS))
        for _ in range(draw(st.integers(1, 4)))
    ]
    return {
        "kind": "pipeline",
        "props": {name: {"spec": {"type": kind}} for name, kind in kinds.items()},
        "instances": instances,
        "outputs": outputs,
        "inputs_type": draw(st.sampled_from(["map(string)", "any"])),
    }


def _schema_text(c: dict[str, Any]) -> str:
    lines = ["schema:", '  format:\n    openapi: "3.0.0"']
    if c["kind"] == "environment":
        lines.append('  environment_input_type: "Input"')
    else:
        lines += ['  service_input_type: "Input"', '  pipeline_input_type: "PipelineInput"']
    lines.append("  types:\n    Input:\n      type: object\n      properties:")
    for name, p in c["props"].items():
        lines.append(f"        {name}:")
        lines += [f"          {k}: {json.dumps(v)}" for k, v in p["spec"].items()]
    if c["kind"] == "pipeline":
        lines.append(
            "    PipelineInput:\n      type: object\n      properties:\n        dockerfile:\n          type: string"
        )
    return "\n".join(lines) + "\n"


def _deployment(c: dict[str, Any]) -> dict[str, Any]:
    """What Proton passed to the deployment: every schema default filled in, an unset optional
    input without a default left out."""
    if c["kind"] == "environment":
        inputs = {name: p["value"] for name, p in c["props"].items() if p["given"] or "default" in p["spec"]}
        return {"environment": {"name": "env", "inputs": inputs}}
    return {
        "service": proton_live.SERVICE,
        "pipeline": {"inputs": {"dockerfile": "Dockerfile.web"}},
        "service_instances": [
            {
                **i,
                "outputs": {},
                "environment": {"name": f"env-{i['name']}", "account_id": "123456789012", "outputs": {}},
            }
            for i in c["instances"]
        ],
    }


def write_case(work: Path, c: dict[str, Any]) -> tuple[Path, Path, dict[str, Any]]:
    bundle = work / "bundle"
    (bundle / "schema").mkdir(parents=True)
    (bundle / "schema" / "schema.yaml").write_text(_schema_text(c), encoding="utf-8")
    body = "".join(f'output "o{i}" {{\n  value = {e}\n}}\n\n' for i, e in enumerate(c["outputs"]))
    parts = {"infrastructure": body}
    if c["kind"] == "pipeline":
        parts = {
            "instance_infrastructure": 'output "name" {\n  value = var.service_instance.name\n}\n',
            "pipeline_infrastructure": body,
        }
    for directory, text in parts.items():
        (bundle / directory).mkdir()
        (bundle / directory / "manifest.yaml").write_text(MANIFEST, encoding="utf-8")
        (bundle / directory / "main.tf").write_text(text, encoding="utf-8")
    doc = _deployment(c)
    deployment = work / "deployment"
    deployment.mkdir()
    (deployment / "proton-inputs.json").write_text(json.dumps(doc), encoding="utf-8")
    obj = "environment" if c["kind"] == "environment" else "pipeline"
    (deployment / f"proton.{obj}.variables.tf").write_text(
        proton_live.proton_variables_text(c["kind"], c["inputs_type"]), encoding="utf-8"
    )
    return bundle, deployment / "proton-inputs.json", doc


def compare_root(root: Path, index: int, work: Path, bundle: Path, doc: dict[str, Any], c: dict[str, Any]) -> str:
    """Module calls of Proton's rendering of the bundle and of the migrated example root, side by side."""
    original = work / "original"
    original.mkdir()
    part = "infrastructure" if c["kind"] == "environment" else "pipeline_infrastructure"
    (original / "main.tf").write_text((bundle / part / "main.tf").read_text(encoding="utf-8"), encoding="utf-8")
    (original / "proton.variables.tf").write_text(
        proton_live.proton_variables_text(c["kind"], c["inputs_type"]), encoding="utf-8"
    )
    example = next((work / "migrated" / "examples").iterdir())
    arguments = "".join(f"  {key} = {to_hcl(value, 2)}\n" for key, value in doc.items())
    return (
        f'module "proton_{index}" {{\n  source = {quote("../" + original.relative_to(root.parent).as_posix())}\n'
        f"{arguments}}}\n\n"
        f'module "migrated_{index}" {{\n  source = {quote("../" + example.relative_to(root.parent).as_posix())}\n}}\n\n'
        f'output "proton_{index}" {{\n  value = module.proton_{index}\n}}\n\n'
        f'output "migrated_{index}" {{\n  value = module.migrated_{index}\n}}\n\n'
    )


def assert_same_meaning(
    terraform_env: tfenv.TerraformEnv, top: Path, cases: list[dict[str, Any]], *, refusals: bool = True
) -> None:
    """Migrate each case, then one `terraform apply` over Proton's rendering and the migrated example
    root side by side: their outputs must be equal; `refusals`: a one-line exit 2 is allowed."""
    # Several cases share one `terraform apply`: the provider's schema loads once for all of them.
    root = top / "compare"
    root.mkdir()
    calls: list[str] = []
    compared: list[tuple[int, dict[str, Any]]] = []
    for index, c in enumerate(cases):
        work = top / f"case{index}"
        work.mkdir()
        bundle, spec, doc = write_case(work, c)
        result = runner.invoke(
            app,
            [
                "migrate",
                "proton",
                str(bundle),
                "--out",
                str(work / "migrated"),
                "--inputs",
                str(spec),
                "--skip-checkov",
            ],
        )
        if result.exit_code == 2 and refusals:  # a refusal is allowed; it is one line naming the file
            lines = result.output.strip().splitlines()
            assert len(lines) == 1 and "tfgen: error:" in lines[0], result.output
            continue
        assert result.exit_code in (0, 1), result.output
        calls.append(compare_root(root, index, work, bundle, doc, c))
        compared.append((index, c))
    if not calls:
        return
    (root / "main.tf").write_text("".join(calls), encoding="utf-8")
    terraform_env.run(["init", "-backend=false", "-input=false", "-no-color"], root)
    # Outputs only, no resources: `terraform apply` evaluates them as a plan does and writes them to
    # the state file, read here. A plan and `terraform show -json` of it would read hashicorp/aws
    # 5.100's schemas twice (about 2 CPU s each), the apply reads them once.
    apply = terraform_env.run(["apply", "-auto-approve", "-input=false", "-no-color"], root, check=False)
    assert apply.returncode == 0, apply.describe()
    outputs = json.loads((root / "terraform.tfstate").read_text(encoding="utf-8"))["outputs"]
    for index, c in compared:
        part = "main.tf" if c["kind"] == "environment" else "pipeline/main.tf"
        migrated = (top / f"case{index}" / "migrated" / part).read_text(encoding="utf-8")
        assert outputs[f"migrated_{index}"]["value"] == outputs[f"proton_{index}"]["value"], (c, migrated)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cases=st.lists(st.one_of(case(), pipeline_case()), min_size=1, max_size=4))
def test_rewritten_expressions_evaluate_as_under_proton(
    terraform_env: tfenv.TerraformEnv, tmp_path_factory: pytest.TempPathFactory, cases: list[dict[str, Any]]
) -> None:
    assert_same_meaning(terraform_env, tmp_path_factory.mktemp("meaning"), cases)


def test_an_object_left_without_an_optional_property_reads_as_proton_passed_it(
    terraform_env: tfenv.TerraformEnv, tmp_path: Path
) -> None:
    # Proton passed the deployment's JSON object as it was: {"a": "s"}, no "b" and no "c" (c's
    # default is the schema's word for a caller that gives none, not a value Proton added).
    spec = {
        "type": "object",
        "required": ["a"],
        "properties": {"a": {"type": "string"}, "b": {"type": "number"}, "c": {"type": "boolean", "default": True}},
    }
    x = "var.environment.inputs.cfg"
    reads = [
        x,
        f"jsonencode({x})",
        f"keys({x})",
        f"length({x})",
        f'lookup({x}, "b", "none")',
        f'try({x}.b, "none")',
        f"can({x}.c)",
        f'[for k, v in {x} : "${{k}}=${{v}}"]',
    ]
    c = {
        "kind": "environment",
        "props": {"cfg": {"spec": spec, "value": {"a": "s"}, "given": True}},
        "outputs": reads,
        "inputs_type": "any",
    }
    assert_same_meaning(terraform_env, tmp_path, [c], refusals=False)
