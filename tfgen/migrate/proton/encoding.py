"""How Proton handed a deployment's inputs to Terraform: `inputs = map(string)` or `inputs = any`.

Proton writes `proton.<kind>.variables.tf` next to the rendered template. Its first releases
declared `inputs = map(string)`: Terraform converted every JSON value to a string (`true` ->
`"true"`, `30` -> `"30"`; an array or object cannot convert, so such a deployment failed). Later
releases declare `inputs = any`: the JSON values keep their types. Both shapes are in public
deployment repositories (docs/migrate-proton.md names them). The encoding decides what
`var.environment.inputs.x == "true"` meant, so the migrated module must follow it:

- the deployment's own `proton.*.variables.tf` beside `--inputs`, when there is one;
- otherwise `inputs = any` when the part's schema has an array or object input (a template that
  reads one as a collection only ran under `any`), else `map(string)`; either is said as a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tfgen.errors import HclSyntaxError
from tfgen.hcl.read import parse_text
from tfgen.migrate.proton.bundle import Part
from tfgen.migrate.proton.rewrite import INPUTS_OBJECT, INSTANCE, PIPELINE, SERVICE_INSTANCES, declared_inputs_type
from tfgen.migrate.proton.schema import Variable
from tfgen.migrate.proton.yamlfile import BundleError
from tfgen.safe_read import read_regular

MAP_STRING = "map(string)"
ANY = "any"
VARIABLES_GLOB = "proton*.variables.tf"
MAX_BYTES = 1024 * 1024
_INPUTS_TYPE = re.compile(r"\binputs\s*=\s*(map\(\s*string\s*\)|any)")
PRIMITIVE_TYPED = frozenset({"number", "bool"})


@dataclass(frozen=True)
class PartEncoding:
    inputs_type: str  # MAP_STRING or ANY
    source: str  # the file it was read from, or why it was assumed
    declared: bool  # read from the deployment's own file (not assumed)


@dataclass
class Encodings:
    parts: dict[str, PartEncoding] = field(default_factory=dict)
    service_instances: str = MAP_STRING  # the inputs type inside the pipeline's service_instances

    def notes(self) -> list[str]:
        return [f"{kind}: inputs = {e.inputs_type} ({e.source})" for kind, e in self.parts.items() if not e.declared]


def declared_types(inputs: Path | None) -> tuple[dict[str, str], str | None]:
    """{object name: inputs type} from the proton.*.variables.tf files beside `inputs`, and the
    file names read (for the note)."""
    if inputs is None:
        return {}, None
    found: dict[str, str] = {}
    names: list[str] = []
    for path in sorted(inputs.parent.glob(VARIABLES_GLOB)):
        if path.is_symlink() or not path.is_file():
            continue
        shown = str(path)
        try:
            text = read_regular(path, MAX_BYTES, follow_symlinks=False).decode("utf-8-sig")
            parsed = parse_text(text, shown)
        except (OSError, UnicodeDecodeError) as exc:
            raise BundleError(shown, None, f"cannot read Proton's variables file: {exc}") from None
        except HclSyntaxError as exc:
            raise BundleError(exc.path, exc.line, exc.problem) from None
        names.append(path.name)
        for block in parsed.data.get("variable", []):
            for label, body in block.items():
                name = label.strip('"')
                type_text = str(body.get("type", "")) if isinstance(body, dict) else ""
                match = _INPUTS_TYPE.search(type_text)
                if match:
                    found[name] = MAP_STRING if match.group(1).startswith("map") else ANY
    return found, ", ".join(names) or None


def bundle_declaration(part: Part) -> tuple[str, str] | None:
    """(inputs type, file) when the part declares Proton's object itself (a CodeBuild-provisioned
    bundle passes Proton's values with -var-file to its own `variable "environment"`)."""
    obj = INPUTS_OBJECT[part.kind]
    for rel, data in sorted(part.files.items()):
        if "/" in rel or not rel.endswith(".tf"):
            continue
        found = declared_inputs_type(data.decode("utf-8-sig", errors="replace"), obj)
        if found is not None:
            return found, rel
    return None


def resolve(inputs: Path | None, variables: dict[str, list[Variable]], parts: list[Part]) -> Encodings:
    """The encoding of each part's inputs (`variables`: the schema's variables per part kind)."""
    declared, files = declared_types(inputs)
    result = Encodings()
    by_kind = {p.kind: p for p in parts}
    for kind, part_variables in variables.items():
        obj = INPUTS_OBJECT[kind]
        if obj in declared:
            result.parts[kind] = PartEncoding(declared[obj], f"declared in {files}", True)
            continue
        own = bundle_declaration(by_kind[kind]) if kind in by_kind else None
        if own is not None:
            result.parts[kind] = PartEncoding(
                own[0], f'declared by the bundle\'s own variable "{obj}" in {own[1]}', True
            )
            continue
        collections = sorted(v.name for v in part_variables if v.type not in ("string", *PRIMITIVE_TYPED))
        where = "beside --inputs" if inputs is not None else "(no --inputs)"
        if collections:
            result.parts[kind] = PartEncoding(
                ANY,
                f"assumed: no proton.{obj}.variables.tf {where}, and the array/object input "
                f"{collections[0]} only reached Terraform through inputs = any",
                False,
            )
        else:
            result.parts[kind] = PartEncoding(
                MAP_STRING,
                f"assumed, as Proton's first releases declared it: no proton.{obj}.variables.tf {where}; "
                "pass the deployment's file beside --inputs if it says inputs = any",
                False,
            )
    if PIPELINE in variables:
        fallback = result.parts[INSTANCE].inputs_type if INSTANCE in result.parts else MAP_STRING
        result.service_instances = declared.get(SERVICE_INSTANCES, fallback)
    return result


def typed_as_strings(encoding: PartEncoding, variables: list[Variable]) -> set[str]:
    """The inputs the template saw as strings while the module types them (number, bool)."""
    if encoding.inputs_type != MAP_STRING:
        return set()
    return {v.name for v in variables if v.type in PRIMITIVE_TYPED}


def unkeepable(encoding: PartEncoding, variables: list[Variable]) -> dict[str, str]:
    """Inputs whose value under the declared encoding tfgen cannot reproduce: an array or object
    through `map(string)` never reached the template as one."""
    if encoding.inputs_type != MAP_STRING or not encoding.declared:
        return {}
    return {
        v.schema_name: f"the deployment declares inputs = map(string) ({encoding.source}), which cannot hold the "
        f"{v.type} input {v.schema_name}: what the template read is unknown"
        for v in variables
        if v.type not in ("string", *PRIMITIVE_TYPED)
    }
