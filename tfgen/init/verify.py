"""Prove a render says what the blueprint meant: parse every file back and compare.

python-hcl2 reads each rendered file (once, or never again for bytes it parsed before: the
parse cache `tfgen validate` uses); the result, in normalised values (`tfgen.hcl.values.normalise`),
is compared with the expectations in `tfgen.init.blueprint_model` (resource addresses,
security-relevant attributes, policy statements by sid). Any mismatch is an internal error raised
before anything reaches the disk. `tfgen init` proves the files whose bytes depend on the answers
(`render.answer_paths`); the tests prove every other file, the same for every answer, once.

python-hcl2 accepts some text Terraform rejects or reads differently: `{ for = "x" }` is a map to
python-hcl2 and a broken for expression to Terraform. So the proof also checks the grammar of
every object key in the parse (`object_key_problems`): each must be a quoted literal without a
template sequence, or a bare identifier that is no HCL keyword. That is the only place user text
becomes a name in the output (values are always quoted literals, which the comparison checks).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from tfgen.cache.store import Cache
from tfgen.errors import InternalError
from tfgen.hcl import parsing
from tfgen.hcl.quote import HCL_KEYWORDS, IDENTIFIER, PARSER_MARKER_PREFIX, to_hcl, unquote
from tfgen.hcl.read import ParsedFile, bare_label
from tfgen.hcl.values import Expr, Template, normalise

# What init renders as HCL (its example tfvars too); validate discovers by tfgen.validate.discover.HCL_SUFFIXES.
RENDERED_HCL_SUFFIXES = (".tf", ".tfvars", ".tfvars.example")
_INDEX = re.compile(r"^(?P<name>[^\[]+)\[(?P<index>\d+)\]$")
_MISSING = object()


def is_hcl(path: str) -> bool:
    return path.endswith(RENDERED_HCL_SUFFIXES)


def _is_marker(key: str) -> bool:
    # python-hcl2's own keys (`__is_block__`, ...) are bare; tfgen quotes every user key of that shape.
    return key.startswith(PARSER_MARKER_PREFIX)


def unquote_literals(value: Any) -> Any:
    """python-hcl2 8.x value -> plain Python: literal strings and quoted keys unquoted, markers dropped.

    Expressions stay as python-hcl2 printed them; validate's hclvalues.normalise parses them instead."""
    if isinstance(value, str):
        try:
            return unquote(value)
        except ValueError:
            return value  # an expression such as "${var.x}" stays as python-hcl2 wrote it
    if isinstance(value, list):
        return [unquote_literals(v) for v in value]
    if isinstance(value, dict):
        return {unquote_literals(k): unquote_literals(v) for k, v in value.items() if not _is_marker(k)}
    return value


def _key_problem(key: str) -> str | None:
    """Why Terraform might not read this object key (as python-hcl2 prints it) as a plain name."""
    if key.startswith('"'):
        try:
            unquote(key)
        except ValueError:
            return f"object key {key} is a template, not a literal"
        return None
    if not IDENTIFIER.fullmatch(key):
        return f"object key {key} is an expression, not a name"
    if key in HCL_KEYWORDS:
        return f"object key {key} is an HCL keyword (Terraform reads it as one, not as a name)"
    return None


def _block_bodies(entry: Any) -> list[dict[str, Any]] | None:
    """The bodies of a block entry (labels nest as one-key dicts down to the marked body), else None."""
    if not isinstance(entry, dict):
        return None
    if entry.get("__is_block__") is True:
        return [entry]
    if len(entry) != 1:
        return None
    return _block_bodies(next(iter(entry.values())))


def _expression_keys(value: Any, where: str, problems: list[str]) -> None:
    if isinstance(value, list):
        for item in value:
            _expression_keys(item, where, problems)
    elif isinstance(value, dict):  # an object constructor: `{ key = value, ... }`
        for key, item in value.items():
            problem = _key_problem(key)
            if problem:
                problems.append(f"{where}: {problem}")
            _expression_keys(item, where, problems)


def _body_keys(body: Mapping[str, Any], where: str, problems: list[str]) -> None:
    for name, value in body.items():
        if _is_marker(name):
            continue
        bodies = [_block_bodies(entry) for entry in value] if isinstance(value, list) and value else None
        if bodies is not None and all(b is not None for b in bodies):  # nested blocks
            for found in bodies:
                for inner in found or ():
                    _body_keys(inner, where, problems)
        else:  # an attribute: its value is an expression
            _expression_keys(value, f"{where} {name}", problems)


def object_key_problems(parsed: ParsedFile) -> list[str]:
    """Every object key in `parsed` that is not a quoted literal or a non-keyword identifier."""
    problems: list[str] = []
    _body_keys(parsed.data, parsed.path, problems)
    return problems


def addresses(parsed: ParsedFile) -> set[str]:
    """`type.name` for resources, `data.type.name`, `module.name`, as Terraform spells them."""
    found: set[str] = set()
    for kind, prefix in (("resource", ""), ("data", "data."), ("ephemeral", "ephemeral.")):
        for entry in parsed.data.get(kind, []):
            for rtype, named in entry.items():
                for rname in named:
                    found.add(f"{prefix}{bare_label(rtype)}.{bare_label(rname)}")
    for entry in parsed.data.get("module", []):
        for mname in entry:
            found.add(f"module.{bare_label(mname)}")
    return found


def find_block(parsed: ParsedFile, block: tuple[str, ...], nth: int = 0) -> Any:
    """The body, in normalised values, of the `nth` top-level block with this type and labels (the
    first by default; a provider's aliases repeat its labels); `()` is the file itself."""
    if not block:
        return normalise(parsed.data)  # a .tfvars file is only top-level attributes
    index = 0
    for found in parsed.blocks:
        if (found.type, *found.labels) == block and nth > 0:
            nth -= 1
        elif (found.type, *found.labels) == block:
            entries = parsed.data.get(found.type)
            if not isinstance(entries, list) or index >= len(entries):
                return _MISSING
            body: Any = entries[index]
            for label in found.labels:  # python-hcl2 nests the body under one key per label
                if not isinstance(body, dict) or label not in {bare_label(k) for k in body}:
                    return _MISSING
                body = next(v for k, v in body.items() if bare_label(k) == label)
            return normalise(body) if isinstance(body, dict) else _MISSING
        if found.type == block[0]:
            index += 1
    return _MISSING


def lookup(body: Any, dotted: str) -> Any:
    """A dotted path in a normalised body: a nested block by its type, `name[i]` its i-th repetition."""
    node = body
    for part in dotted.split("."):
        index = 0
        match = _INDEX.match(part)
        if match:
            part, index = match.group("name"), int(match.group("index"))
        if isinstance(node, list):
            node = node[0] if node else _MISSING
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
        if match:
            if not isinstance(node, list) or index >= len(node):
                return _MISSING
            node = node[index]
    return node


def statements(document: Mapping[str, Any]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """A policy document's statements by sid (`dynamic "statement"` content with its `for_each`), and sid problems."""
    found: list[dict[str, Any]] = [s for s in document.get("statement", []) if isinstance(s, dict)]
    for dynamic in document.get("dynamic", []):
        spec = dynamic.get("statement") if isinstance(dynamic, dict) else None
        if isinstance(spec, dict):
            found += [
                {**content, "for_each": spec.get("for_each")}
                for content in spec.get("content", [])
                if isinstance(content, dict)
            ]
    by_sid: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for statement in found:
        sid = statement.get("sid")
        if not isinstance(sid, str):
            problems.append(f"a statement without a literal sid ({sid!r})")
        elif sid in by_sid:
            problems.append(f"two statements with sid {sid}")
        else:
            by_sid[sid] = statement
    return by_sid, problems


def as_written(value: Any) -> str:
    """A value in a message as Terraform text shows it: an expression as written, a string quoted,
    never Python's repr of tfgen's records (`Expr(text='var.x')`)."""
    if isinstance(value, Expr):
        return value.text
    if isinstance(value, Template):
        return f'"{value.text}"'
    if isinstance(value, list):
        return "[" + ", ".join(as_written(v) for v in value) + "]"
    if isinstance(value, dict):  # on one line, unlike to_hcl's aligned blocks: a message is a line
        return "{ " + ", ".join(f"{k} = {as_written(v)}" for k, v in value.items()) + " }"
    if value is None or isinstance(value, (bool, int, float, str)):
        return to_hcl(value)
    return str(value)


def _attr_problems(where: str, body: Any, attrs: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    for dotted, value in sorted(attrs.items()):
        actual = lookup(body, dotted)
        if actual is _MISSING:
            problems.append(f"{where}: {dotted} is missing (expected {as_written(value)})")
        elif actual != value:
            problems.append(f"{where}: {dotted} is {as_written(actual)}, expected {as_written(value)}")
    return problems


def parse_rendered(files: Mapping[str, str], store: Cache | None = None) -> dict[str, ParsedFile]:
    """python-hcl2's reading of every rendered HCL file, through validate's parse cache.

    A parse depends on nothing but the bytes and the parser: a file parsed before (by an earlier
    init with the same answers, or by `tfgen validate`) is read back from `store`.
    """
    paths = [path for path in sorted(files) if is_hcl(path)]
    items = [(path.rsplit("/", 1)[-1], path, files[path].encode("utf-8")) for path in paths]
    parsed: dict[str, ParsedFile] = {}
    for path, outcome in zip(paths, parsing.parse_all(items, store=store, jobs=1), strict=True):
        if not isinstance(outcome, ParsedFile):
            raise InternalError(f"rendered file does not parse: {outcome}")
        parsed[path] = outcome
    return parsed


def compare(parsed: Mapping[str, ParsedFile], expects: Iterable[Any], wanted: Mapping[str, set[str]]) -> list[str]:
    """Every difference between the parsed files and the expectations, as readable lines."""
    problems: list[str] = []
    for path in sorted(parsed):
        problems.extend(object_key_problems(parsed[path]))
    for path, expected_addresses in sorted(wanted.items()):
        if path not in parsed:
            problems.append(f"{path}: expected file was not rendered")
            continue
        actual = addresses(parsed[path])
        for missing in sorted(expected_addresses - actual):
            problems.append(f"{path}: missing {missing}")
        for extra in sorted(actual - expected_addresses):
            problems.append(f"{path}: unexpected {extra}")
    for expect in expects:
        where = f"{expect.file} {'.'.join(expect.block) or '(top level)'}"
        if expect.file not in parsed:
            problems.append(f"{where}: file was not rendered")
            continue
        body = find_block(parsed[expect.file], tuple(expect.block), expect.nth)
        if body is _MISSING:
            problems.append(f"{where}: block not found")
            continue
        problems += _attr_problems(where, body, expect.attrs)
        if expect.statements is None:
            continue
        by_sid, sid_problems = statements(body)
        problems += [f"{where}: {problem}" for problem in sid_problems]
        problems += [f"{where}: statement {sid} is missing" for sid in sorted(set(expect.statements) - set(by_sid))]
        problems += [f"{where}: unexpected statement {sid}" for sid in sorted(set(by_sid) - set(expect.statements))]
        for sid, attrs in expect.statements.items():
            if sid in by_sid:
                problems += _attr_problems(f"{where} statement {sid}", by_sid[sid], attrs)
    return problems


def gitignore_problems(text: str | None, patterns: Iterable[str]) -> list[str]:
    """How a rendered .gitignore differs from the model's patterns (comments and blank lines aside)."""
    if text is None:
        return []  # reported as a file missing from the render
    actual = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    wanted = list(patterns)
    problems = [f".gitignore: missing pattern {p}" for p in wanted if p not in actual]
    problems += [f".gitignore: unexpected pattern {p}" for p in actual if p not in wanted]
    return problems


def file_set_problems(rendered: Iterable[str], wanted: set[str]) -> list[str]:
    """A rendered file the model does not know (or the reverse) is never written unproved."""
    have = set(rendered)
    return [f"{p}: rendered, but not in the blueprint model" for p in sorted(have - wanted)] + [
        f"{p}: in the blueprint model, but not rendered" for p in sorted(wanted - have)
    ]


def verify_rendered(
    files: Mapping[str, str], config: Any, store: Cache | None = None, *, only: Collection[str] | None = None
) -> dict[str, ParsedFile]:
    """Parse the rendered HCL files and compare them with the blueprint model; raise on any gap.

    `only`: the paths to prove (None: every file); the render's set of paths is checked whole.
    """
    from tfgen.init import blueprint_model

    proved = set(files if only is None else only)
    parsed = parse_rendered({path: text for path, text in files.items() if path in proved}, store)
    problems = file_set_problems(files, blueprint_model.rendered_paths())
    if blueprint_model.GITIGNORE in proved:
        problems += gitignore_problems(files.get(blueprint_model.GITIGNORE), blueprint_model.GITIGNORE_PATTERNS)
    expects = [expect for expect in blueprint_model.expectations(config) if expect.file in proved]
    wanted = {path: found for path, found in blueprint_model.resource_addresses(config).items() if path in proved}
    problems += compare(parsed, expects, wanted)
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise InternalError(f"rendered baseline does not match its blueprint model: {shown}")
    return parsed
