"""python-hcl2 8.x values -> plain Python values that rules can reason about.

python-hcl2 keeps string literals quoted ('"abc"'), writes every other expression as
'${...}' text and heredocs as '"<<EOT\\n...\\nEOT"'. `normalise` turns that into:

- str, int, float, bool, None, list, dict for literals (object expressions inside `${...}`
  such as `jsonencode({...})` are parsed too, so a policy reads the same whether it is
  written with `jsonencode`, a heredoc or a JSON string);
- `Template(text)` for a string with interpolations (`"${var.a}-x"`, a heredoc with `${}`);
- `Expr(text)` for anything tfgen does not evaluate (references, function calls, ...).

Expressions are read with `tfgen.hcl.syntax` (python-hcl2's grammar): `Expr.tree` is an
expression's syntax tree, `syntax.parse_template` a template's parts.

Blocks stay dicts (nested blocks are lists of dicts); the `__is_block__` and `__comments__`
markers are dropped. The same shapes come out of `.tf.json` files via `normalise_json`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tfgen.hcl import syntax
from tfgen.hcl.quote import unquote
from tfgen.hcl.syntax import HclExpressionError, Node
from tfgen.hcl.syntax import parse_expression as parse_expression_tree

if TYPE_CHECKING:
    from tfgen.hcl.read import Block, ParsedFile

__all__ = ["Expr", "Template", "heredoc_text", "normalise", "normalise_json", "parse_expression", "references"]


@dataclass(frozen=True)
class Expr:
    """An expression tfgen does not evaluate, as HCL text (without `${ }`)."""

    text: str

    def __str__(self) -> str:
        return self.text

    @property
    def tree(self) -> Node:
        """The expression's syntax tree (spans index `text`); HclExpressionError if it is not one."""
        return parse_expression_tree(self.text)


@dataclass(frozen=True)
class Template:
    """A string with `${...}` interpolations or `%{...}` directives (text without quotes)."""

    text: str

    def __str__(self) -> str:
        return self.text

    def literal_parts(self) -> list[str]:
        """The text outside interpolation sequences (all of it where the template does not parse)."""
        try:
            parts = syntax.parse_template(self.text)
        except HclExpressionError:
            return [self.text] if self.text else []
        return [part.text for part in parts if isinstance(part, syntax.Text)]


_HEREDOC_HEAD = re.compile(r'^"<<(-?)([A-Za-z_][A-Za-z0-9_]*)\n')


def heredoc_text(raw: str) -> str | None:
    """The body of a heredoc as python-hcl2 serialises it, or None if `raw` is not one."""
    match = _HEREDOC_HEAD.match(raw)
    if not match or not raw.endswith('"'):
        return None
    body = raw[match.end() : -1]
    marker = match.group(2)
    lines = body.split("\n")
    if lines and lines[-1].strip() == marker:
        lines = lines[:-1]
    if match.group(1):  # <<- strips the smallest indentation
        indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
        cut = min(indents) if indents else 0
        lines = [line[cut:] for line in lines]
    return "\n".join(lines) + ("\n" if lines else "")


def _has_template(text: str) -> bool:
    """Does a heredoc's body hold an interpolation or directive (an unclosed one counts)?"""
    if "${" not in text and "%{" not in text:
        return False
    try:
        return any(not isinstance(part, syntax.Text) for part in syntax.parse_template(text))
    except HclExpressionError:
        return True


def string_value(raw: str) -> Any:
    body = heredoc_text(raw)
    if body is not None:
        return Template(body) if _has_template(body) else body.replace("$${", "${").replace("%%{", "%{")
    try:
        return unquote(raw)
    except ValueError:
        return Template(raw[1:-1])


def normalise(value: Any) -> Any:
    """One python-hcl2 8.x value (attribute value or block body) as plain Python."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
            return string_value(value)
        if value.startswith("${") and value.endswith("}"):  # python-hcl2 writes each expression as one `${...}`
            return parse_expression(value[2:-1])
        return parse_expression(value)
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in ("__is_block__", "__comments__", "__inline_comments__"):
                continue
            out[_key(key)] = normalise(item)
        return out
    return Expr(str(value))


def _key(key: Any) -> str:
    text = str(key)
    if len(text) >= 2 and text[0] == text[-1] == '"':
        try:
            return unquote(text)
        except ValueError:
            return text[1:-1]
    return text


def normalise_json(value: Any) -> Any:
    """A value from a `.tf.json` file: strings with `${...}` become templates/expressions."""
    if isinstance(value, str):
        if "${" in value or "%{" in value:
            if _one_interpolation(value):
                return parse_expression(value[2:-1])
            return Template(value)
        return value
    if isinstance(value, list):
        return [normalise_json(v) for v in value]
    if isinstance(value, dict):
        return {k: normalise_json(v) for k, v in value.items() if k != "//"}
    return value


def _one_interpolation(text: str) -> bool:
    """Is `text` one `${...}` and nothing else?"""
    if not (text.startswith("${") and text.endswith("}")):
        return False
    try:
        parts = syntax.parse_template(text)
    except HclExpressionError:
        return False
    return len(parts) == 1 and isinstance(parts[0], syntax.Interpolation)


# --- literals out of an expression's syntax tree ----------------------------------------------

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")
# An object key written as a name (`Version`, `a.b`, `true`) is that text
_NAME_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
# These give their argument as the value a rule reads (a policy reads the same whether it is
# written with `jsonencode`, a heredoc or a JSON string)
_TRANSPARENT_CALLS = frozenset({"jsonencode", "yamlencode", "tolist", "toset", "tomap"})
# A text that starts with another name is an expression whatever follows (a reference, a call, an
# operation on one): no literal is in it to read, so it is not parsed here
_OPAQUE_START = re.compile(r"(?!(?:true|false|null|jsonencode|yamlencode|tolist|toset|tomap)\b)[A-Za-z_]")


def parse_expression(text: str) -> Any:
    """An HCL expression (the inside of `${...}`) as plain Python as far as literals go: objects,
    tuples, strings, numbers, bools and null, and the argument of `jsonencode(...)` and the like;
    every other part is `Expr` of its text."""
    text = text.strip()
    if _OPAQUE_START.match(text):
        return Expr(text)
    try:
        tree = parse_expression_tree(text)
    except (HclExpressionError, RecursionError):
        return Expr(text)
    try:
        return _literal(tree, text)
    except RecursionError:
        return Expr(text)


def _literal(node: Node, text: str) -> Any:
    written = text[node.span[0] : node.span[1]]
    if isinstance(node, syntax.Object):
        out: dict[str, Any] = {}
        for item in node.items:
            key_text = text[item.key.span[0] : item.key.span[1]]
            if isinstance(item.key, syntax.String) and not item.key.heredoc:
                key = string_value(key_text)
                out[key if isinstance(key, str) else str(key)] = _literal(item.value, text)
            elif isinstance(item.key, syntax.Parens) or _NAME_KEY.fullmatch(key_text):
                out[key_text] = _literal(item.value, text)
            else:
                return Expr(written)
        return out
    if isinstance(node, syntax.Tuple):
        return [_literal(item, text) for item in node.items]
    if isinstance(node, syntax.String) and not node.heredoc:
        return string_value(written)
    if isinstance(node, (syntax.Literal, syntax.UnaryOp)) and _NUMBER.match(written):
        return float(written) if any(c in written for c in ".eE") else int(written)
    if isinstance(node, syntax.Literal) and (node.value is None or isinstance(node.value, bool)):
        return node.value
    if isinstance(node, syntax.Call) and node.name in _TRANSPARENT_CALLS and len(node.args) == 1:
        if not node.expand and node.namespace is None:
            inner = _literal(node.args[0], text)
            if not isinstance(inner, Expr):
                return inner
    return Expr(written)


# What a traversal's first names make an address of: `data.T.N`, `var.N`, `T.N` for a resource type T
_ROOT_NAMES = {"data": 3, "ephemeral": 3, "var": 2, "local": 2, "module": 2}
_NOT_RESOURCES = frozenset({"each", "count", "path", "self", "terraform"})
_RESOURCE_TYPE = re.compile(r"[a-z][a-z0-9]*_[A-Za-z0-9_-]*")


def references(value: Any) -> list[str]:
    """Addresses an expression refers to: `aws_s3_bucket.b`, `data.x.y`, `var.v`, `local.l`, `module.m`
    (in source order, as often as written). Text that is not an expression refers to nothing."""
    found: list[str] = []

    def visit(item: Any) -> None:
        if isinstance(item, Expr):
            try:
                _addresses(item.tree, found)
            except (HclExpressionError, RecursionError):
                pass
        elif isinstance(item, Template):
            try:
                parts = syntax.parse_template(item.text)
            except HclExpressionError:
                return
            for part in parts:
                if not isinstance(part, (syntax.Text, syntax.Unparsed)):
                    _addresses(part, found)
        elif isinstance(item, dict):
            for v in item.values():
                visit(v)
        elif isinstance(item, list):
            for v in item:
                visit(v)

    visit(value)
    return found


def _addresses(node: Any, found: list[str]) -> None:
    """Append the address of each traversal in `node` (see `references`): its names up to the
    first index step, cut to what its root makes an address of."""
    for root, steps in _chains(node):
        names = [root]
        for step in steps:
            if not isinstance(step, syntax.GetAttr):
                break
            names.append(step.name)
        wanted = _ROOT_NAMES.get(root, 2)
        known = root in _ROOT_NAMES or (root not in _NOT_RESOURCES and _RESOURCE_TYPE.fullmatch(root) is not None)
        if known and len(names) >= wanted:
            found.append(".".join(names[:wanted]))


def _chains(node: Any) -> Iterator[tuple[str, list[syntax.GetAttr | syntax.Index]]]:
    """Each traversal from a name in `node` (`a.b[0].c`): the root name and its steps in source
    order, then those inside its index keys; in source order."""
    if isinstance(node, (syntax.GetAttr, syntax.Index)):
        steps: list[syntax.GetAttr | syntax.Index] = []
        root: Any = node
        while isinstance(root, (syntax.GetAttr, syntax.Index)):
            steps.append(root)
            root = root.target
        steps.reverse()
        if isinstance(root, syntax.Variable):
            yield root.name, steps
        else:
            yield from _chains(root)
        for step in steps:
            if isinstance(step, syntax.Index):
                yield from _chains(step.key)
        return
    for child in syntax.children(node):
        yield from _chains(child)


def traversals(value: Expr | Template) -> list[tuple[str, ...]]:
    """Each traversal in an expression as its names, index steps left out (`module.x[0].out` is
    ("module", "x", "out")), in source order. Text that is not an expression has none."""
    try:
        trees = [value.tree] if isinstance(value, Expr) else list(syntax.parse_template(value.text))
    except (HclExpressionError, RecursionError):
        return []
    return [
        (root, *(step.name for step in steps if isinstance(step, syntax.GetAttr)))
        for tree in trees
        for root, steps in _chains(tree)
    ]


def block_bodies(parsed: ParsedFile) -> list[tuple[Block, dict[str, Any]]]:
    """Each top-level block of a parsed HCL file with its body as plain Python (`normalise`).

    python-hcl2 lists a file's blocks by type, in order; `parsed.blocks` has their lines. The n-th
    block of a type is the n-th entry of that type; its body sits under one key per label.
    """
    counters: dict[str, int] = {}
    out: list[tuple[Block, dict[str, Any]]] = []
    for block in parsed.blocks:
        entries = parsed.data.get(block.type)
        index = counters.get(block.type, 0)
        counters[block.type] = index + 1
        if not isinstance(entries, list) or index >= len(entries):
            continue
        body: Any = entries[index]
        for _ in block.labels:
            if not isinstance(body, dict) or len(body) == 0:
                break
            body = next(iter(v for k, v in body.items() if not k.startswith("__")), {})
        out.append((block, normalise(body) if isinstance(body, dict) else {}))
    return out
