"""Module README tables in terraform-docs' `markdown table` layout, derived from python-hcl2's parse.

Each generated module README holds `<!-- BEGIN_TF_DOCS -->` / `<!-- END_TF_DOCS -->` markers
(terraform-docs' default `inject` template); tfgen fills them with Requirements, Providers,
Inputs and Outputs as terraform-docs (0.16+, default settings: anchors, sorted by name, 2-level
headings) prints them, so a team that runs terraform-docs on the module keeps them current.
The tables come from the module's parsed `.tf` files, never from a hand-kept list. A module is the
same for every answer, so its README ships with its tables filled; tests/test_init_module_docs.py
fails until they are those of the module at hand:

    .venv/bin/python -m tfgen.init.tfdocs --write    # after changing a module's variables or outputs

Known differences from terraform-docs' own output: the Modules and Resources sections are left
out (terraform-docs adds them on its first run); `<` and `>` in a description are written as
`&lt;`/`&gt;` (terraform-docs keeps them, and GitHub drops `<name>` as an HTML tag).

A type is printed as written (terraform-docs prints the source: a multi-line `object({...})`
becomes `<pre>` with `<br>`); python-hcl2 reformats it on one line, so the written text is taken
from the variable block's lines and used only when it says what the parse says (same text but for
whitespace and commas), else the parse's one line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from tfgen.errors import InternalError
from tfgen.hcl.read import ParsedFile, bare_label
from tfgen.init.verify import unquote_literals

BEGIN = "<!-- BEGIN_TF_DOCS -->"
END = "<!-- END_TF_DOCS -->"
README = "README.md"
_CODE_SPAN = re.compile(r"(`[^`]*`)")


def _anchor(kind: str, name: str) -> str:
    """terraform-docs' anchored name cell: `<a name="input_x"></a> [x](#input\\_x)`."""
    escaped = name.replace("_", "\\_")
    return f'<a name="{kind}_{name}"></a> [{escaped}](#{kind}\\_{escaped})'


def _description(value: Any) -> str:
    """Markdown text for one cell: pipes escaped everywhere; `_` and `*` outside code spans."""
    if value is None:
        return "n/a"
    text = str(unquote_literals(value)).strip().replace("\n\n", "<br><br>").replace("\n", "<br>")
    parts = []
    for part in _CODE_SPAN.split(text):
        if not part.startswith("`"):
            part = part.replace("_", "\\_").replace("*", "\\*").replace("<br>", "\0")
            part = part.replace("<", "&lt;").replace(">", "&gt;").replace("\0", "<br>")
        parts.append(part.replace("|", "\\|"))
    return "".join(parts)


def _code(text: str) -> str:
    """A value cell: inline code for one line, `<pre>` with `<br>` for several (as terraform-docs)."""
    text = text.replace("|", "\\|")
    return f"<pre>{text.replace(chr(10), '<br>')}</pre>" if "\n" in text else f"`{text}`"


_TYPE_LINE = re.compile(r"^\s*type\s*=\s*(?P<rest>.*)$")
_NOT_MEANING = re.compile(r"[\s,]")


def _written_type(parsed: ParsedFile, name: str) -> str | None:
    """The `type = ...` expression as the variable block writes it, over as many lines as it spans."""
    block = next((b for b in parsed.blocks if b.type == "variable" and b.labels == (name,)), None)
    if block is None:
        return None
    lines = parsed.text.splitlines()[block.line - 1 : block.end_line]
    for index, line in enumerate(lines):
        match = _TYPE_LINE.match(line)
        if not match:
            continue
        taken = [match.group("rest").rstrip()]
        depth = sum(taken[0].count(c) for c in "({[") - sum(taken[0].count(c) for c in ")}]")
        for more in lines[index + 1 :]:
            if depth <= 0:
                break
            taken.append(more.rstrip())
            depth += sum(more.count(c) for c in "({[") - sum(more.count(c) for c in ")}]")
        return "\n".join(taken)
    return None


def _type(value: Any, parsed: ParsedFile, name: str) -> str:
    if value is None:
        return "`any`"
    text = str(value)
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    written = _written_type(parsed, name)
    if written is not None and _NOT_MEANING.sub("", written) == _NOT_MEANING.sub("", text):
        text = written
    return _code(text)


def _default(body: Mapping[str, Any]) -> tuple[str, str]:
    """(Default cell, Required cell): a variable without `default` is required, `null` included."""
    if "default" not in body:
        return "n/a", "yes"
    value = unquote_literals(body["default"])
    if isinstance(value, (list, dict)) and value:
        return _code(json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)), "no"
    return _code(json.dumps(value, ensure_ascii=False)), "no"


def _blocks(files: Iterable[ParsedFile], kind: str) -> list[tuple[str, dict[str, Any], ParsedFile]]:
    found: list[tuple[str, dict[str, Any], ParsedFile]] = []
    for parsed in files:
        for entry in parsed.data.get(kind, []):
            for name, body in entry.items():
                found.append((bare_label(name), body, parsed))
    return sorted(found, key=lambda item: item[0])


def _requirements(files: Iterable[ParsedFile]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(requirements, providers): `terraform` first, then each required provider by name."""
    terraform: list[tuple[str, str]] = []
    providers: dict[str, str] = {}
    for parsed in files:
        for block in parsed.data.get("terraform", []):
            if "required_version" in block:
                terraform = [("terraform", str(unquote_literals(block["required_version"])))]
            for required in block.get("required_providers", []):
                for name, spec in unquote_literals(required).items():
                    version = spec.get("version") if isinstance(spec, dict) else spec
                    providers[name] = str(version) if version is not None else "n/a"
    listed = sorted(providers.items())
    return terraform + listed, listed


def _table(header: str, rule: str, rows: list[str], empty: str) -> str:
    return "\n".join([header, rule, *rows]) if rows else empty


def module_docs(files: Iterable[ParsedFile]) -> str:
    """The text terraform-docs' `markdown table` puts between the markers, for one module's files."""
    files = list(files)
    requirements, providers = _requirements(files)
    inputs = []
    for name, body, parsed in _blocks(files, "variable"):
        default, required = _default(body)
        inputs.append(
            f"| {_anchor('input', name)} | {_description(body.get('description'))} | "
            f"{_type(body.get('type'), parsed, name)} | {default} | {required} |"
        )
    outputs = [
        f"| {_anchor('output', name)} | {_description(body.get('description'))} |"
        for name, body, _ in _blocks(files, "output")
    ]
    sections = [
        "## Requirements\n\n"
        + _table(
            "| Name | Version |",
            "|------|---------|",
            [f"| {_anchor('requirement', n)} | {v} |" for n, v in requirements],
            "No requirements.",
        ),
        "## Providers\n\n"
        + _table(
            "| Name | Version |",
            "|------|---------|",
            [f"| {_anchor('provider', n)} | {v} |" for n, v in providers],
            "No providers.",
        ),
        "## Inputs\n\n"
        + _table(
            "| Name | Description | Type | Default | Required |",
            "|------|-------------|------|---------|:--------:|",
            inputs,
            "No inputs.",
        ),
        "## Outputs\n\n" + _table("| Name | Description |", "|------|-------------|", outputs, "No outputs."),
    ]
    return "\n\n".join(sections)


def inject(readme: str, docs: str, path: str) -> str:
    """`readme` with the text between its one pair of markers replaced by `docs`."""
    if readme.count(BEGIN) != 1 or readme.count(END) != 1 or readme.index(BEGIN) > readme.index(END):
        raise InternalError(f"{path}: needs exactly one {BEGIN} ... {END} pair for its input and output tables")
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{docs}\n{END}{tail}"


def fill_readmes(
    texts: Mapping[str, str], parsed: Mapping[str, ParsedFile], directories: Iterable[str]
) -> dict[str, str]:
    """`texts` with the README of each directory in `directories` given its terraform-docs tables."""
    filled = dict(texts)
    for directory in directories:
        prefix = f"{directory}/" if directory else ""
        readme = f"{prefix}{README}"
        module_files = [
            parsed[p]
            for p in sorted(parsed)
            if p.startswith(prefix) and "/" not in p[len(prefix) :] and p.endswith(".tf")
        ]
        filled[readme] = inject(texts[readme], module_docs(module_files), readme)
    return filled


def blueprint_readmes() -> dict[str, str]:
    """Each blueprint module's README (its path in a render) with the tables of the module as rendered."""
    from tfgen.init import blueprint_model
    from tfgen.init.config import build_config
    from tfgen.init.render import MODULES_DIR, render_baseline
    from tfgen.init.verify import parse_rendered

    # Any answers: a module renders the same for all of them (`render.answer_paths`).
    texts = render_baseline(build_config({"account_id": "123456789012", "region": "eu-west-1", "name": "acme"}))
    directories = [f"{MODULES_DIR}/{name}" for name in blueprint_model.MODULES]
    filled = fill_readmes(texts, parse_rendered(texts), directories)
    return {f"{directory}/{README}": filled[f"{directory}/{README}"] for directory in directories}


def main(argv: list[str] | None = None) -> int:
    """Print the modules' READMEs that are stale (exit 1); with --write, fill them in blueprints/."""
    import argparse
    import sys

    from tfgen.init.render import blueprint_root

    parser = argparse.ArgumentParser(description="Fill the blueprint modules' README tables from their Terraform.")
    parser.add_argument("--write", action="store_true", help="write blueprints/modules/*/README.md")
    args = parser.parse_args(argv)
    stale = 0
    for path, text in blueprint_readmes().items():
        target = blueprint_root() / path
        if target.read_text(encoding="utf-8") != text:
            stale += 1
            if args.write:
                target.write_text(text, encoding="utf-8")
            print(f"{'wrote' if args.write else 'stale'}: blueprints/{path}", file=sys.stderr)
    return 1 if stale and not args.write else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
