"""Turn one part of a bundle into a standard Terraform module (files as bytes, nothing written).

The bundle's top-level `.tf` files are rewritten by location (`rewrite.py`); every other file
is copied byte for byte. tfgen adds `variables.tf` (from the schema, plus one variable per
Proton value the templates read), `versions.tf`, `outputs.tf` when the bundle has none, and a
README. Where the bundle already has a file of that name, tfgen's text follows the bundle's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from tfgen.errors import HclSyntaxError
from tfgen.hcl.quote import quote
from tfgen.hcl.read import ParsedFile, parse_text
from tfgen.migrate.proton.bundle import Part, decode_text
from tfgen.migrate.proton.rewrite import (
    COMPONENT_OUTPUTS,
    ENVIRONMENT,
    INPUTS_OBJECT,
    INSTANCE,
    PIPELINE,
    PROTON_TAGS,
    SERVICE_INSTANCES,
    Generated,
    RewriteError,
    rewrite,
)
from tfgen.migrate.proton.schema import IDENTIFIER, NO_DEFAULT, RESERVED_VARIABLE_NAMES, Variable, render_variable
from tfgen.migrate.proton.yamlfile import BundleError

REQUIRED_VERSION = ">= 1.3"  # optional() object attributes with defaults (service_instances) need 1.3
AWS_PROVIDER_VERSION = ">= 5.0"
PROTON_JSON_REFERENCE = re.compile(r"\bvar\.(environment|service|service_instance|pipeline)\b")


@dataclass
class Module:
    kind: str
    directory: str  # relative to --out: "" for an environment, "instance" / "pipeline" for a service
    files: dict[str, bytes] = field(default_factory=dict)
    variables: list[Variable] = field(default_factory=list)
    generated: dict[str, Generated] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    edits: int = 0
    # The bundle's own variables without a default (a self-managed pipeline passed them with -var):
    # a caller must set them too, so an example root passes them through.
    own_required: list[str] = field(default_factory=list)
    # What lives in the deployment's state at the root of Proton's configuration: managed resources
    # (`aws_vpc.this`) and module calls (`module.vpc`), each moved under the module's call on cut-over.
    addresses: list[str] = field(default_factory=list)
    outputs: dict[str, bool] = field(default_factory=dict)  # output name -> sensitive
    encoding: str = ""  # how Proton passed the inputs: map(string) or any
    encoding_source: str = ""  # the deployment's file it was read from, or why it was assumed
    kept_strings: set[str] = field(default_factory=set)  # inputs read as tostring(var.k) somewhere
    commands: dict[str, list[str]] = field(default_factory=dict)  # CodeBuild provisioning, from the manifest


def _display(part: Part, rel: str) -> str:
    return str(part.directory / rel)


def _has_required_providers(data: dict[str, Any]) -> bool:
    return any("required_providers" in block for block in data.get("terraform", []))


def generated_variable(g: Generated, instances_inputs: str) -> Variable:
    if g.name in (COMPONENT_OUTPUTS, PROTON_TAGS):
        return Variable(g.name, "map(string)", g.description, default={})
    if g.name == SERVICE_INSTANCES:
        # Proton's own declaration (inputs as Proton passed them, so each.value.inputs.port reads
        # the same), with account_id and outputs optional for a spec that lacks them.
        environment = (
            'object({ name = string, account_id = optional(string, ""), outputs = optional(map(string), {}) })'
        )
        type_ = (
            f"list(object({{ name = string, inputs = {instances_inputs}, "
            f"outputs = optional(map(string), {{}}), environment = {environment} }}))"
        )
        return Variable(
            g.name,
            type_,
            "The service's instances as Proton passed them to the pipeline: name, inputs, outputs and environment.",
            required=True,
        )
    return Variable(g.name, g.type, g.description, required=True)


def _state_addresses_json(data: Any) -> tuple[list[str], dict[str, bool]]:
    addresses: list[str] = []
    if not isinstance(data, dict):
        return addresses, {}
    resources = data.get("resource")
    if isinstance(resources, dict):
        for type_, named in resources.items():
            if isinstance(named, dict):
                addresses += [f"{type_}.{name}" for name in named]
    modules = data.get("module")
    if isinstance(modules, dict):
        addresses += [f"module.{name}" for name in modules]
    outputs = data.get("output")
    found = {}
    if isinstance(outputs, dict):
        found = {name: isinstance(body, dict) and body.get("sensitive") is True for name, body in outputs.items()}
    return addresses, found


def _state_addresses(parsed: ParsedFile) -> tuple[list[str], dict[str, bool]]:
    addresses: list[str] = []
    for block in parsed.blocks:
        if block.type == "resource" and len(block.labels) == 2:
            addresses.append(".".join(block.labels))
        elif block.type == "module" and len(block.labels) == 1:
            addresses.append(f"module.{block.labels[0]}")
    outputs: dict[str, bool] = {}
    for entry in parsed.data.get("output", []):
        for label, body in entry.items():
            outputs[label.strip('"')] = isinstance(body, dict) and body.get("sensitive") is True
    return addresses, outputs


def _refuse_json_references(text: str, shown: str) -> None:
    """A Proton reference in a .tf.json file: tfgen rewrites HCL text only."""
    match = PROTON_JSON_REFERENCE.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise BundleError(
            shown, line, f"{match.group(0)} in JSON syntax: tfgen rewrites Proton references in .tf files only"
        )


def _add_json_file(module: Module, rel: str, data: bytes, text: str, shown: str) -> None:
    """A `.tf.json` file is copied as it is; its resources, module calls and outputs are recorded."""
    _refuse_json_references(text, shown)
    try:
        addresses, outputs = _state_addresses_json(json.loads(text))
    except json.JSONDecodeError as exc:
        raise BundleError(shown, exc.lineno, f"invalid JSON: {exc.msg}") from None
    for name in [a.split(".", 1)[1] for a in addresses] + list(outputs):
        if not IDENTIFIER.fullmatch(name):
            line = text.count("\n", 0, max(0, text.find(json.dumps(name)))) + 1
            raise BundleError(shown, line, f"label {quote(name)} is not a valid Terraform name")
    module.addresses += addresses
    module.outputs.update(outputs)
    module.files[rel] = data


def _own_variables(parsed: ParsedFile, shown: str) -> list[tuple[str, tuple[str, int | None], bool]]:
    """The variables a bundle file declares: (name, where, required); a name terraform validate
    refuses is an error naming its line."""
    found = []
    for block in parsed.data.get("variable", []):
        for label, body in block.items():
            name = label.strip('"')
            line = parsed.line_of("variable", name)
            if not IDENTIFIER.fullmatch(name) or name in RESERVED_VARIABLE_NAMES:
                why = "a name Terraform reserves" if name in RESERVED_VARIABLE_NAMES else "not a valid identifier"
                raise BundleError(
                    shown, line, f'variable "{name}": {why}, so terraform validate refuses the template (rename it)'
                )
            found.append((name, (shown, line), isinstance(body, dict) and "default" not in body))
    return found


def build_module(
    part: Part,
    directory: str,
    inputs: list[Variable],
    source: str,
    *,
    encoding: str,
    encoding_source: str,
    strings: set[str],
    refused: dict[str, str],
    instances_inputs: str,
) -> Module:
    module = Module(
        part.kind, directory, encoding=encoding, encoding_source=encoding_source, commands=dict(part.commands)
    )
    names = {v.schema_name for v in inputs}
    variable_names = {v.name for v in inputs}
    renamed = {v.input: v.name for v in inputs if v.input}
    types = {v.name: v.type for v in inputs}
    declared: dict[str, tuple[str, int | None]] = {}  # the bundle's own variables: where each is declared
    has_providers = False
    for rel, data in sorted(part.files.items()):
        if "/" in rel or not rel.endswith((".tf", ".tf.json")):
            module.files[rel] = data  # copied byte for byte
            continue
        shown = _display(part, rel)
        text = decode_text(data, shown)
        if rel.endswith(".tf.json"):
            _add_json_file(module, rel, data, text, shown)
            continue
        try:
            result = rewrite(
                text, part.kind, names, strings, refused, renamed, types, map_string=encoding == "map(string)"
            )
        except RewriteError as exc:
            raise BundleError(shown, exc.line, str(exc)) from None
        try:
            parsed = parse_text(result.text, shown)
        except HclSyntaxError as exc:  # a rewrite that breaks the syntax is tfgen's bug
            raise BundleError(shown, exc.line, f"after rewriting: {exc.problem} (please report this bundle)") from None
        for name, where, required in _own_variables(parsed, shown):
            declared.setdefault(name, where)
            if required:
                module.own_required.append(name)
        addresses, outputs = _state_addresses(parsed)
        module.addresses += addresses
        module.outputs.update(outputs)
        has_providers = has_providers or _has_required_providers(parsed.data)
        module.generated.update(result.generated)
        module.removed += [f"{rel}: {r}" for r in result.removed]
        module.edits += result.edits
        module.kept_strings |= result.kept_strings
        module.files[rel] = result.text.encode("utf-8")
    extra = [generated_variable(g, instances_inputs) for g in sorted(module.generated.values(), key=lambda g: g.name)]
    for var in [*inputs, *extra]:
        if var.name in declared:
            raise BundleError(
                *declared[var.name],
                f'declares variable "{var.name}", which tfgen needs for '
                f"{'the schema input' if var.name in variable_names else module.generated[var.name].proton}",
            )
    clash = variable_names & {v.name for v in extra}
    if clash:
        name = sorted(clash)[0]
        raise BundleError(
            source, None, f"schema input {name!r} has the name tfgen gives {module.generated[name].proton}"
        )
    module.variables = [*inputs, *extra]
    _add(module, "variables.tf", variables_text(module, inputs, extra))
    _add(module, "versions.tf", versions_text(has_providers))
    if "outputs.tf" not in module.files:
        module.files["outputs.tf"] = b"# The Proton template declared no outputs.\n"
    _add(module, "README.md", readme_text(module, source))
    return module


def _add(module: Module, rel: str, text: str) -> None:
    existing = module.files.get(rel)
    if existing is None:
        module.files[rel] = text.encode("utf-8")
    else:
        sep = b"" if existing.endswith(b"\n") or not existing else b"\n"
        module.files[rel] = existing + sep + b"\n" + text.encode("utf-8")


def variables_text(module: Module, inputs: list[Variable], extra: list[Variable]) -> str:
    own = INPUTS_OBJECT[module.kind]
    blocks = [f"# Written by tfgen migrate proton: one variable per schema input (was var.{own}.inputs.<name>)."]
    blocks += [render_variable(v) for v in inputs]
    if extra:
        blocks.append("# Values Proton passed that are not schema inputs.")
        blocks += [render_variable(v) for v in extra]
    return "\n".join(b if b.endswith("\n") else b + "\n" for b in blocks)


def versions_text(has_providers: bool) -> str:
    lines = ["terraform {", f"  required_version = {quote(REQUIRED_VERSION)}"]
    if not has_providers:
        lines += [
            "",
            "  required_providers {",
            "    aws = {",
            '      source  = "hashicorp/aws"',
            f"      version = {quote(AWS_PROVIDER_VERSION)}",
            "    }",
            "  }",
        ]
    lines.append("}")
    return "\n".join(lines) + "\n"


def readme_text(module: Module, source: str) -> str:
    title = {ENVIRONMENT: "environment", INSTANCE: "service instance", PIPELINE: "service pipeline"}[module.kind]
    own = INPUTS_OBJECT[module.kind]
    lines = [
        f"# {title.capitalize()} module (migrated from AWS Proton)",
        "",
        f"Written by `tfgen migrate proton` from `{source}`. The template's `.tf` files are kept byte for",
        "byte except the Proton expressions, each replaced by the variable in the table below, and the",
        "declarations listed under Removed.",
        "",
        "## Inputs",
        "",
        "| variable | type | default | was |",
        "|---|---|---|---|",
    ]
    for v in module.variables:
        default = (
            "required"
            if v.default is NO_DEFAULT and not v.nullable
            else ("null" if v.default is NO_DEFAULT else f"`{json.dumps(v.default)}`")
        )
        was = module.generated[v.name].proton if v.name in module.generated else f"var.{own}.inputs.{v.schema_name}"
        lines.append(f"| `{v.name}` | `{v.type.replace('|', '/')}` | {default} | `{was}` |")
    lines += [
        "",
        "Optional inputs (no default, not required) are nullable: the template's",
        f'`contains(keys(var.{own}.inputs), "k")` became `var.k != null`, and `lookup(..., "k", d)` /',
        "`try(....k, d)` became `(var.k == null ? d : var.k)` (or, where that would change the",
        "type Proton's lookup/try returned, `try([for v in [var.k] : v if v != null][0], d)`).",
        "",
    ]
    loose = [f"`{v.name}`" for v in module.variables if v.type == "any" and v.name not in module.generated]
    if loose:
        lines += [
            "Declared `any`, with the schema's type as a validation: " + ", ".join(loose) + ". Each holds an",
            "object with a property the schema does not require, and Proton passed the deployment's JSON",
            "object as it was; an object type would add a property the deployment left out (as null, or the",
            "property's default), which `jsonencode`, `keys`, `length`, `lookup`, `try` and `can` would see.",
            "",
        ]
    strings = sorted(module.kept_strings)
    lines += [
        "## How Proton passed the inputs",
        "",
        f"`inputs = {module.encoding}` ({module.encoding_source}).",
    ]
    if strings:
        lines += [
            "Under `map(string)` the template saw every input as a string, so where a type would change",
            "what an expression means (a comparison, `jsonencode`, an output, ...) the module reads",
            "`tostring(var.x)`: " + ", ".join(f"`{n}`" for n in strings) + ".",
        ]
    lines.append("")
    if module.commands:
        lines += [
            "## How Proton provisioned it",
            "",
            "CodeBuild ran these commands from the bundle's manifest.yaml (the state backend and any",
            "`-var` they pass are now the calling root's to configure):",
            "",
        ]
        for phase, commands in module.commands.items():
            lines += [f"{phase}:", "", "```sh", *commands, "```", ""]
    if module.removed:
        lines += ["## Removed", ""] + [f"- {r}" for r in module.removed] + [""]
    lines += [
        "## Cut-over from the Proton deployment's state",
        "",
        "Keep the state where Proton's deployment left it: point the calling root's backend at it, call",
        f'this module as `module "{module.kind}"`, re-export its outputs, and add these `moved` blocks',
        "(`tfgen migrate proton --inputs` writes all three into `examples/<name>/`). `terraform plan` must",
        "then show moves only; see docs/migrate-proton.md for the runbook.",
        "",
    ]
    if module.addresses:
        lines += ["```hcl", moved_blocks(module.addresses, module.kind).rstrip("\n"), "```", ""]
    else:
        lines += ["The template manages no resource and calls no module: nothing moves.", ""]
    return "\n".join(lines)


def moved_blocks(addresses: list[str], call: str) -> str:
    """`moved` blocks taking each root address of Proton's configuration under `module.<call>`:
    a whole resource or module call moves with every instance, counted or for_each."""
    blocks = [f"moved {{\n  from = {a}\n  to   = module.{call}.{a}\n}}\n" for a in addresses]
    return "\n".join(blocks)
