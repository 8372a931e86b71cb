"""Read, rewrite, prove, then write like `tfgen init`; then `tfgen validate` the result.

Nothing is written unless every step succeeds: the files are built in memory, every `.tf`
is parsed back with python-hcl2 and searched for Proton references, and only then does
`tfgen.tree.writer` write them (staged, one rename for a new tree, atomic replaces and the
manifest last for an existing one; files edited since the last migration are refused
without --force).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfgen.errors import HclSyntaxError, InternalError, UsageError
from tfgen.hcl.read import interpolation_end, parse_text
from tfgen.migrate.proton import encoding as encodings
from tfgen.migrate.proton.bundle import SCHEMA, Bundle, read_bundle
from tfgen.migrate.proton.examples import example_files
from tfgen.migrate.proton.module import Module, build_module
from tfgen.migrate.proton.rewrite import ENVIRONMENT, INSTANCE, PIPELINE
from tfgen.migrate.proton.schema import input_variables
from tfgen.tree import manifest, writer
from tfgen.tree.writer import Plan

BLUEPRINT_VERSION = "proton-migrate/1"
TYPE_KEYS = {ENVIRONMENT: "environment_input_type", INSTANCE: "service_input_type", PIPELINE: "pipeline_input_type"}
# What must not survive a migration: a read of a Proton object (service_instances is the
# pipeline's own typed variable afterwards, so it is allowed).
PROTON_REFERENCE = re.compile(r"\bvar\.(environment|service|service_instance|pipeline)\b(?!_)")


@dataclass
class MigrateResult:
    bundle: Bundle
    out: Path
    modules: list[Module]
    plan: Plan
    written: bool
    report: Any = None  # tfgen.validate Report of the written tree, when validation ran
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what tfgen assumed (how Proton passed the inputs)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _expressions(text: str) -> Iterator[str]:
    """The `${...}` parts of a value as python-hcl2 serializes it: expressions, not literal text."""
    start = text.find("${")
    while start >= 0:
        if start > 0 and text[start - 1] == "$":  # `$${` is an escaped, literal `${`
            start = text.find("${", start + 2)
            continue
        i = interpolation_end(text, start)
        yield text[start : i + 1]
        start = text.find("${", i)


def prove(files: Mapping[str, bytes]) -> int:
    """Parse every .tf back and find no Proton reference; returns how many files were parsed."""
    count = 0
    for rel, data in sorted(files.items()):
        if not rel.endswith(".tf"):
            continue
        try:
            parsed = parse_text(data.decode("utf-8"), rel)
        except HclSyntaxError as exc:
            raise InternalError(f"migrated {exc}: nothing was written (please report this bundle)") from None
        for text in _strings(parsed.data):
            match = next((m for code in _expressions(text) if (m := PROTON_REFERENCE.search(code))), None)
            if match:
                raise InternalError(
                    f"migrated {rel} still reads {match.group(0)}: nothing was written (please report this bundle)"
                )
        count += 1
    return count


def render_files(
    bundle_path: Path, inputs: Path | None = None, notes: list[str] | None = None
) -> tuple[Bundle, list[Module], dict[str, bytes]]:
    """Every output file (relative to --out) as bytes, manifest included, after the proof; what
    tfgen assumed about the deployment is appended to `notes`."""
    bundle = read_bundle(bundle_path)
    shown_schema = bundle.shown(SCHEMA)
    variables = {
        kind: input_variables(bundle.schema, shown_schema, TYPE_KEYS[kind]) for kind in (p.kind for p in bundle.parts)
    }
    encoded = encodings.resolve(inputs, variables, bundle.parts)
    if notes is not None:
        notes += encoded.notes()
    modules: list[Module] = []
    files: dict[str, bytes] = {}
    for part in bundle.parts:
        directory = "" if part.kind == ENVIRONMENT else part.kind
        how = encoded.parts[part.kind]
        module = build_module(
            part,
            directory,
            variables[part.kind],
            str(bundle.path),
            encoding=how.inputs_type,
            encoding_source=how.source,
            strings=encodings.typed_as_strings(how, variables[part.kind]),
            refused=encodings.unkeepable(how, variables[part.kind]),
            instances_inputs=encoded.service_instances,
        )
        modules.append(module)
        for rel, data in module.files.items():
            files[f"{directory}/{rel}" if directory else rel] = data
    if inputs is not None:
        files.update(example_files(inputs, {m.kind: m for m in modules}))
    prove(files)
    record = {"source": "aws-proton", "bundle": bundle.path.name, "kind": bundle.kind}
    files[manifest.MANIFEST_PATH] = manifest.build(BLUEPRINT_VERSION, record, files).to_text().encode("utf-8")
    return bundle, modules, files


def migrate(
    bundle_path: Path,
    out: Path,
    *,
    inputs: Path | None = None,
    force: bool = False,
    validate: bool = True,
    run_checkov: bool = True,
    checkov: str | None = None,
    checkov_timeout: float | None = None,
) -> MigrateResult:
    bundle_real = os.path.join(os.path.realpath(bundle_path), "")
    if os.path.join(os.path.realpath(out), "").startswith(bundle_real):
        # a re-run would read the output as bundle files, and change what it converts
        raise UsageError(f"--out {out}: inside the bundle {bundle_path}; choose a directory outside it")
    if validate and run_checkov:
        from tfgen.checkov import env as checkov_env
        from tfgen.checkov.run import resolve_timeout

        resolve_timeout(checkov_timeout)  # a bad value, like a missing checkov, is an error before anything is written
        checkov_env.locate(checkov)  # a missing checkov is an error before anything is written, not after
    notes: list[str] = []
    bundle, modules, files = render_files(bundle_path, inputs, notes)

    def same_command(previous: manifest.Manifest | None) -> None:
        if previous is not None and previous.blueprint_version != BLUEPRINT_VERSION:
            raise UsageError(
                f"--out {out}: holds a tree tfgen wrote with another command "
                f"({previous.blueprint_version or 'unknown'}); choose another directory"
            )

    the_plan = writer.put(
        out,
        files,
        force=force,
        notify=writer.notify_on_stderr,
        accept_previous=same_command,
        command="tfgen migrate proton",
    )
    result = MigrateResult(bundle, out, modules, the_plan, bool(the_plan.changes), notes=notes)
    if validate:
        from tfgen.validate import ValidateOptions, validate_paths

        result.report = validate_paths(
            [str(out)], ValidateOptions(checkov=checkov, run_checkov=run_checkov, checkov_timeout=checkov_timeout)
        )
        result.warnings += list(result.report.warnings)
    return result
