"""`--inputs SPEC`: an example root that calls the migrated module(s) with a deployment's inputs.

SPEC is Proton's `proton-inputs.json` (what Proton passed to one deployment: `environment`,
`service`, `service_instance`, `pipeline`, `service_instances`) or a spec YAML
(`proton: EnvironmentSpec` with `spec:`, or `proton: ServiceSpec` with `pipeline:` and
`instances:`). Values the SPEC does not hold (an environment's outputs, say) become variables
of the example root, so it validates as it stands; its backend is left for the user to fill in.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfgen.hcl.quote import quote, quote_key, to_hcl
from tfgen.migrate.proton.module import Module, moved_blocks
from tfgen.migrate.proton.rewrite import ENVIRONMENT, INSTANCE, PIPELINE, snake
from tfgen.migrate.proton.schema import NO_DEFAULT, Variable
from tfgen.migrate.proton.yamlfile import BundleError, check_depth, line_in, load
from tfgen.safe_read import read_regular

NAME = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass
class Call:
    part: str
    values: dict[str, Any] = field(default_factory=dict)


def read_spec(path: Path) -> tuple[str, list[Call]]:
    """(example name, module calls) from a proton-inputs.json or a spec YAML."""
    shown = str(path)
    try:
        text = read_regular(path, 4 * 1024 * 1024).decode("utf-8-sig")
    except OSError as exc:
        raise BundleError(shown, None, f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise BundleError(shown, None, "not valid UTF-8") from None
    if path.suffix == ".json":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BundleError(shown, exc.lineno, f"invalid JSON: {exc.msg}") from None
        except RecursionError:  # json recurses once per nested array or object
            raise BundleError(shown, None, "invalid JSON: nested too deeply") from None
        check_depth(doc, shown)
    else:
        doc = load(text, shown)
    if not isinstance(doc, dict):
        raise BundleError(shown, line_in(doc), "neither proton-inputs.json nor a Proton spec: not a mapping")
    if "proton" in doc:
        return _from_spec(doc, shown)
    return _from_proton_inputs(doc, shown)


def _mapping(value: Any, shown: str, what: str, line: int | None) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BundleError(shown, line, f"{what} must be a mapping")
    return dict(value)


def _from_proton_inputs(doc: dict[str, Any], shown: str) -> tuple[str, list[Call]]:
    name, calls = _calls_from_proton_inputs(doc, shown)
    if "proton_tags" in doc:  # proton.auto.tfvars.json holds the deployment's tags beside its objects
        tags = _mapping(doc["proton_tags"], shown, "proton_tags", line_in(doc, "proton_tags"))
        for call in calls:
            call.values["proton_tags"] = tags
    return name, calls


def _calls_from_proton_inputs(doc: dict[str, Any], shown: str) -> tuple[str, list[Call]]:
    env = _mapping(doc.get("environment"), shown, "environment", line_in(doc, "environment"))
    service = _mapping(doc.get("service"), shown, "service", line_in(doc, "service"))
    calls: list[Call] = []
    name = str(env.get("name") or "environment")
    if "service_instance" in doc:
        inst = _mapping(doc["service_instance"], shown, "service_instance", line_in(doc, "service_instance"))
        name = str(inst.get("name") or "service_instance")
        values = dict(_mapping(inst.get("inputs"), shown, "service_instance.inputs", None))
        values.update(
            {
                "service_instance_name": inst.get("name"),
                "service_name": service.get("name"),
                "environment_name": env.get("name"),
                "environment_account_id": env.get("account_id"),
            }
        )
        for key, value in _mapping(env.get("outputs"), shown, "environment.outputs", None).items():
            values[f"environment_{snake(key)}"] = value
        components = _mapping(inst.get("components"), shown, "service_instance.components", None)
        if isinstance(components.get("default"), dict):
            values["component_outputs"] = components["default"].get("outputs") or {}
        calls.append(Call(INSTANCE, values))
    if "pipeline" in doc or "service_instances" in doc:
        pipe = _mapping(doc.get("pipeline"), shown, "pipeline", line_in(doc, "pipeline"))
        values = dict(_mapping(pipe.get("inputs"), shown, "pipeline.inputs", None))
        values.update(
            {
                f"service_{k}": service.get(k)
                for k in ("name", "repository_id", "repository_connection_arn", "branch_name")
            }
        )
        if isinstance(doc.get("service_instances"), list):
            values["service_instances"] = doc["service_instances"]
        if not calls:
            name = str(service.get("name") or "pipeline")
        calls.append(Call(PIPELINE, values))
    if not calls:
        values = dict(_mapping(env.get("inputs"), shown, "environment.inputs", None))
        values["environment_name"] = env.get("name")
        calls.append(Call(ENVIRONMENT, values))
    return name, calls


def _from_spec(doc: dict[str, Any], shown: str) -> tuple[str, list[Call]]:
    kind = doc.get("proton")
    if kind == "EnvironmentSpec":
        return "environment", [Call(ENVIRONMENT, _mapping(doc.get("spec"), shown, "spec", line_in(doc, "spec")))]
    if kind != "ServiceSpec":
        raise BundleError(shown, line_in(doc, "proton"), f"proton: {kind!r}: expected EnvironmentSpec or ServiceSpec")
    instances = doc.get("instances") or []
    if not isinstance(instances, list) or not all(isinstance(i, dict) for i in instances):
        raise BundleError(shown, line_in(doc, "instances"), "instances must be a list of mappings")
    calls = []
    listed = []
    for inst in instances:
        spec = inst.get("spec")
        inputs = (
            dict(_mapping(spec, shown, "instances[].spec", line_in(inst, "spec")))
            if spec
            else {k: v for k, v in inst.items() if k not in ("name", "environment")}
        )
        listed.append({"name": inst.get("name"), "inputs": inputs, "environment": {"name": inst.get("environment")}})
    if instances:
        first = instances[0]
        calls.append(
            Call(
                INSTANCE,
                {
                    **listed[0]["inputs"],
                    "service_instance_name": first.get("name"),
                    "environment_name": first.get("environment"),
                },
            )
        )
    if "pipeline" in doc:
        calls.append(
            Call(
                PIPELINE,
                {**_mapping(doc["pipeline"], shown, "pipeline", line_in(doc, "pipeline")), "service_instances": listed},
            )
        )
    name = str(instances[0].get("name")) if instances else "pipeline"
    return name, calls


def value_text(value: Any, indent: int) -> str:
    """An HCL value laid out as `terraform fmt` leaves it: within an object, `=` is aligned over
    each run of single-line entries, and a multi-line entry ends the run (hcl_quote.to_hcl aligns
    across them, which fmt rewrites)."""
    if isinstance(value, dict) and value:
        pad = " " * (indent + 2)
        entries = [(quote_key(str(k)), value_text(value[k], indent + 2)) for k in sorted(value)]
        lines: list[str] = []
        run: list[tuple[str, str]] = []

        def flush() -> None:
            width = max((len(k) for k, _ in run), default=0)
            lines.extend(f"{pad}{k.ljust(width)} = {v}" for k, v in run)
            run.clear()

        for key, text in entries:
            if "\n" in text:
                flush()
                lines.append(f"{pad}{key} = {text}")
            else:
                run.append((key, text))
        flush()
        return "{\n" + "\n".join(lines) + "\n" + " " * indent + "}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) and v for v in value):
        # One item a line, each followed by a comma: the layout `terraform fmt` keeps for any count
        # (`[{...}, {...}]` makes it re-indent the `}, {` between two objects).
        pad = " " * (indent + 2)
        items = "".join(f"{pad}{value_text(v, indent + 2)},\n" for v in value)
        return "[\n" + items + " " * indent + "]"
    return to_hcl(value, indent)


def _literal_name(name: str) -> str:
    return NAME.sub("-", name).strip("-") or "example"


def example_files(spec: Path, modules: dict[str, Module]) -> dict[str, bytes]:
    """examples/<name>/{main.tf, variables.tf} for the modules that SPEC has values for."""
    name, calls = read_spec(spec)
    root = f"examples/{_literal_name(name)}"
    body = [
        f"# Written by tfgen migrate proton from {Path(spec).name}: the module(s) called with a deployment's inputs.",
        "terraform {",
        "  # Fill in where this root keeps its state (S3: bucket, key, region, use_lockfile = true).",
        '  backend "s3" {}',
        "}",
    ]
    variables: list[str] = []
    called: list[Module] = []
    for call in calls:
        module = modules.get(call.part)
        if module is None:
            continue
        called.append(module)
        known = {v.schema_name: v for v in module.variables}
        for key in call.values:
            if key not in known and not key.startswith(("service_", "environment_", "component_", "proton_tags")):
                raise BundleError(
                    str(spec), None, f"input {key!r} is not in the bundle's schema for the {call.part} module"
                )
        source = "../.." if module.directory == "" else f"../../{module.directory}"
        single: list[tuple[str, str]] = []
        multi: list[tuple[str, str]] = []
        for var in module.variables:
            value = call.values.get(var.schema_name)
            if value is None:
                if var.default is NO_DEFAULT and not var.nullable:
                    single.append((var.name, f"var.{var.name}"))
                    variables.append(_passthrough(var))
                continue
            text = value_text(value, 2)
            (multi if "\n" in text else single).append((var.name, text))
        for name in module.own_required:
            single.append((name, f"var.{name}"))
            variables.append(
                f"variable {quote(name)} {{\n"
                '  description = "Declared by the template itself, without a default."\n}\n'
            )
        width = max((len(k) for k, _ in single), default=0)
        body += ["", f'module "{module.kind}" {{', f"  source = {quote(source)}"]
        if single:
            body.append("")
            body += [f"  {k.ljust(width)} = {v}" for k, v in single]
        for k, v in multi:
            body += ["", f"  {k} = {v}"]
        body.append("}")
    files = {f"{root}/main.tf": ("\n".join(body) + "\n").encode("utf-8")}
    files[f"{root}/moved.tf"] = _moved_text(called).encode("utf-8")
    outputs = _outputs_text(called)
    if outputs:
        files[f"{root}/outputs.tf"] = outputs.encode("utf-8")
    if variables:
        header = "# Values the inputs file did not hold: set them (e.g. in terraform.tfvars).\n"
        files[f"{root}/variables.tf"] = (header + "\n".join(sorted(set(variables)))).encode("utf-8")
    return files


def _moved_text(called: list[Module]) -> str:
    """The deployment's root addresses moved under each module call. Proton kept the instance and
    the pipeline in separate states, so an address both declare cannot move from one root: it is
    left out, and said."""
    seen: dict[str, int] = {}
    for module in called:
        for address in module.addresses:
            seen[address] = seen.get(address, 0) + 1
    lines = [
        "# Written by tfgen migrate proton: what Proton's deployment kept at the root of its state moves",
        "# under the module call. Planned on that state, this root must show moves only.",
    ]
    for module in called:
        mine = [a for a in module.addresses if seen[a] == 1]
        shared = [a for a in module.addresses if seen[a] > 1]
        lines += ["", f"# module.{module.kind}: {len(mine)} address(es)."]
        if mine:
            lines.append(moved_blocks(mine, module.kind).rstrip("\n"))
        if shared:
            lines.append(
                f"# Not moved here (declared by more than one part; Proton kept each part in its own state, so "
                f"move them in a root per deployment): {', '.join(shared)}"
            )
    return "\n".join(lines) + "\n"


def _outputs_text(called: list[Module]) -> str:
    """The module's outputs under the names Proton's root gave them, so the plan changes no output
    (and whatever read them, a service reading its environment's outputs, still finds them)."""
    names: dict[str, int] = {}
    for module in called:
        for name in module.outputs:
            names[name] = names.get(name, 0) + 1
    blocks: list[str] = []
    for module in called:
        for name, sensitive in module.outputs.items():
            shown = name if names[name] == 1 else f"{module.kind}_{name}"
            lines = [f"output {quote(shown)} {{", f"  value = module.{module.kind}.{name}"]
            if sensitive:
                lines = [
                    f"output {quote(shown)} {{",
                    f"  value     = module.{module.kind}.{name}",
                    "  sensitive = true",
                ]
            blocks.append("\n".join([*lines, "}"]) + "\n")
    return "\n".join(blocks)


def _passthrough(var: Variable) -> str:
    lines = [f"variable {quote(var.name)} {{", f"  type = {var.type}"]
    if var.description:
        lines = [
            f"variable {quote(var.name)} {{",
            f"  type        = {var.type}",
            f"  description = {quote(var.description)}",
        ]
    return "\n".join(lines) + "\n}\n"
