"""HCL expressions as a small typed syntax tree, built from python-hcl2's own parse.

python-hcl2 hands tfgen each attribute's expression as text (`${var.a ? "x" : local.b}`);
`parse_expression` reads such text with python-hcl2's grammar (`hcl2.parses_to_tree`, lark's
tree with token positions) and returns frozen dataclasses: `Literal`, `String` (a quoted string
or heredoc, with its `Text`/`Interpolation`/`Directive`/`Unparsed` parts), `Variable`, `GetAttr`, `Index`,
`Splat`, `Call`, `Conditional`, `BinaryOp`, `UnaryOp`, `Parens`, `Tuple`, `Object`, `ForTuple`,
`ForObject`. Every node carries `span`, the `(start, end)` offsets of its text in the text that
was parsed, so `text[node.span[0]:node.span[1]]` is what the node was written as. Comments are
not nodes.

`parse_template` reads the inside of a string (a quoted string's body as written, or a
heredoc's) into its parts. lark reads a heredoc as one token, so the end of each `${...}` in
one is found by asking python-hcl2: its expression is parsed on into the text after it, and the
grammar stops at the `}` that closes it (then the text up to there is parsed on its own). The
grammar decides, never a bracket count.

Both are memoized by text: one expression text is parsed once per process however many
modules, rules and evaluations read it, and a text that is a part of an expression parsed
already (an object's value, a call's argument) is that part of its tree, not parsed again.

`file_body` reads a whole file's lark tree (`hcl2.parses_to_tree` of the file, parsed once by
`tfgen.hcl.read.parse_body`) into its `Attribute`s and `Block`s, whose expressions are the same
nodes, with spans indexing the file's text: what an edit by location needs.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import hcl2
from lark import Token, Tree
from lark.exceptions import UnexpectedToken

Span = tuple[int, int]

# An expression is parsed as an attribute's parenthesised value: the parentheses let it span
# lines (HCL ends an attribute at a newline otherwise); the tree's outer `Parens` is dropped.
_PREFIX = "x = (\n"
_SUFFIX = "\n)\n"
# Where the grammar does not say which `}` closes a sequence (text it cannot lex follows), this
# many `}` are tried in turn before the template is given up as unreadable (each try is one parse).
MAX_CLOSE_CANDIDATES = 64
# The search above costs up to MAX_CLOSE_CANDIDATES + 2 parses, one of the whole rest of the text:
# a hostile heredoc of 1,000 such sequences took 15 s. This many sequences of one template may
# search; the rest are Unparsed, closed by their first `}` (a finding reads them as unknown).
MAX_SLOW_PARSES_PER_TEMPLATE = 16


class HclExpressionError(ValueError):
    """The text is not one HCL expression (or template) python-hcl2 reads."""


@dataclass(frozen=True)
class Literal:
    """A number, `true`, `false` or `null`."""

    span: Span
    value: int | float | bool | None


@dataclass(frozen=True)
class Text:
    """Literal template text as written (escapes and `$${` kept)."""

    span: Span
    text: str


@dataclass(frozen=True)
class Interpolation:
    """`${ expr }`; `strip`: `~` markers (left, right)."""

    span: Span
    expr: Node
    strip: tuple[bool, bool] = (False, False)


@dataclass(frozen=True)
class Directive:
    """`%{ if expr }`, `%{ else }`, `%{ endif }`, `%{ for k, v in expr }`, `%{ endfor }`."""

    span: Span
    keyword: str
    expr: Node | None = None


@dataclass(frozen=True)
class Unparsed:
    """A `${...}` or `%{...}` whose inside python-hcl2 does not read (`${aws:username}` left
    unescaped in a heredoc), up to the first `}`; `text` is its inside without blanks and `~`."""

    span: Span
    text: str
    directive: bool = False  # `%{`


Part = Text | Interpolation | Directive | Unparsed


@dataclass(frozen=True)
class String:
    """A quoted string or a heredoc. `parts` are in order; a string without interpolations or
    directives has `Text` parts only."""

    span: Span
    parts: tuple[Part, ...]
    heredoc: bool = False

    @property
    def is_literal(self) -> bool:
        return all(isinstance(p, Text) for p in self.parts)


@dataclass(frozen=True)
class Variable:
    """A bare name: `var`, `local`, `each`, `aws_s3_bucket`, a `for` or `dynamic` iterator."""

    span: Span
    name: str


@dataclass(frozen=True)
class GetAttr:
    """`target.name` (`name` may be a keyword such as `true`)."""

    span: Span
    target: Node
    name: str


@dataclass(frozen=True)
class Index:
    """`target[key]`, and `target.0` (a `Literal` key)."""

    span: Span
    target: Node
    key: Node


@dataclass(frozen=True)
class Splat:
    """`target.*.a` (`full` False) or `target[*].a[0]` (`full` True): `steps` apply to each element."""

    span: Span
    target: Node
    full: bool
    steps: tuple[GetAttr | Index, ...]


@dataclass(frozen=True)
class Call:
    """`name(args...)`; `expand`: the last argument ends with `...`; `namespace`: `provider::p` of a
    provider function."""

    span: Span
    name: str
    args: tuple[Node, ...]
    expand: bool = False
    namespace: str | None = None


@dataclass(frozen=True)
class Conditional:
    span: Span
    condition: Node
    true: Node
    false: Node


@dataclass(frozen=True)
class BinaryOp:
    """`||`, `&&`, `==`, `!=`, `<`, `>`, `<=`, `>=`, `+`, `-`, `*`, `/`, `%`."""

    span: Span
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class UnaryOp:
    """`!x` or `-x`."""

    span: Span
    op: str
    operand: Node


@dataclass(frozen=True)
class Parens:
    span: Span
    expr: Node


@dataclass(frozen=True)
class Tuple:
    span: Span
    items: tuple[Node, ...]


@dataclass(frozen=True)
class ObjectItem:
    """`key = value` (or `key: value`). A bare-name key is a `Variable` node: HCL reads it as its name."""

    span: Span
    key: Node
    value: Node


@dataclass(frozen=True)
class Object:
    span: Span
    items: tuple[ObjectItem, ...]


@dataclass(frozen=True)
class ForTuple:
    """`[for key, value in collection : result if condition]` (`key` None with one name)."""

    span: Span
    key: str | None
    value: str
    collection: Node
    result: Node
    condition: Node | None


@dataclass(frozen=True)
class ForObject:
    """`{for key, value in collection : result_key => result_value... if condition}`."""

    span: Span
    key: str | None
    value: str
    collection: Node
    result_key: Node
    result_value: Node
    grouping: bool
    condition: Node | None


Node = (
    Literal
    | String
    | Variable
    | GetAttr
    | Index
    | Splat
    | Call
    | Conditional
    | BinaryOp
    | UnaryOp
    | Parens
    | Tuple
    | Object
    | ForTuple
    | ForObject
)


@dataclass(frozen=True)
class Attribute:
    """`name = value` in a file or a block's body."""

    span: Span
    name: str
    value: Node


@dataclass(frozen=True)
class Block:
    """`type label... { body }`; `labels` as written (a quoted label without its quotes)."""

    span: Span
    type: str
    labels: tuple[str, ...]
    body: tuple[Attribute | Block, ...]


Body = tuple[Attribute | Block, ...]


def file_body(lark_tree: Tree, text: str) -> Body:
    """The attributes and blocks of a file from python-hcl2's parse of it (`hcl2.parses_to_tree(text)`);
    spans index `text`. HclExpressionError for an expression the grammar reads but tfgen does not."""
    return _Builder(text, 0).body(lark_tree.children[0])


def attributes(body: Body) -> list[Attribute]:
    """Every attribute of a body, in the blocks nested in it too, in source order."""
    found: list[Attribute] = []
    stack = list(reversed(body))
    while stack:
        item = stack.pop()
        if isinstance(item, Attribute):
            found.append(item)
        else:
            stack.extend(reversed(item.body))
    return found


def children(node: Node | Part | ObjectItem) -> tuple[Node | Part | ObjectItem, ...]:
    """The nodes directly inside `node`, in source order (for walks that look at every node): each
    class declares its fields in the order their text is written."""
    found: list[Node | Part | ObjectItem] = []
    for name in _FIELDS[type(node)]:
        value = getattr(node, name)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, _NODE_CLASSES):
                found.append(item)
    return tuple(found)


_EXPRESSION_CLASSES = typing.get_args(Node)
_NODE_CLASSES = (*_EXPRESSION_CLASSES, *typing.get_args(Part), ObjectItem)
# Each node class's fields other than its span, in declaration (= source) order.
_FIELDS: dict[type, tuple[str, ...]] = {
    kind: tuple(f.name for f in dataclasses.fields(kind) if f.name != "span") for kind in _NODE_CLASSES
}


def walk(node: Node | Part | ObjectItem) -> list[Node | Part | ObjectItem]:
    """`node` and every node inside it, depth first in source order."""
    out: list[Node | Part | ObjectItem] = []
    stack: list[Node | Part | ObjectItem] = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(reversed(children(current)))
    return out


# parse_expression's memo: text -> tree, and text -> (node, offset) for each part of a tree parsed
# already. `tfgen.hcl.values` reads the literals of `jsonencode({...})` from its tree and hands each
# part that is not one on as an expression of its own text, which rules read again; an interpolation's
# expression inside a string is read again as the string's template. Such a text's tree is its node
# moved to offset 0, not a second parse: on bench/synth.py's tree at scale 8 that is 492 of the main
# process's 1,233 expression parses (0.16 s of 0.82 s). Both are emptied at MEMO_SIZE texts.
MEMO_SIZE = 65536
_TREES: dict[str, Node] = {}
_PARTS: dict[str, tuple[Node, int]] = {}


def parse_expression(text: str) -> Node:
    """The syntax tree of one HCL expression; spans index `text`. HclExpressionError if python-hcl2 rejects it."""
    tree = _TREES.get(text)
    if tree is not None:
        return tree
    part = _PARTS.get(text)
    if part is not None:
        tree = _shifted(part[0], -part[1])
    else:
        tree = _parse_at(text, 0, len(text))
        if len(_PARTS) >= MEMO_SIZE:
            _PARTS.clear()
        for node in _expression_parts(tree):
            _PARTS.setdefault(text[node.span[0] : node.span[1]], (node, node.span[0]))
    if len(_TREES) >= MEMO_SIZE:
        _TREES.clear()
    _TREES[text] = tree
    return tree


def clear_memo() -> None:
    """Forget every tree parsed so far: the next read of each text parses it afresh."""
    _TREES.clear()
    _PARTS.clear()
    parse_template.cache_clear()


def _expression_parts(tree: Node) -> Iterator[Node]:
    """The nodes inside `tree` whose text is an expression of its own: not a splat's steps (`.a` of
    `x[*].a` is not one), nor an object's key (a name there is read as its text)."""
    stack: list[Node | Part | ObjectItem] = list(children(tree))
    while stack:
        node = stack.pop()
        if isinstance(node, ObjectItem):
            stack.append(node.value)
            continue
        if isinstance(node, _EXPRESSION_CLASSES) and node.span[1] > node.span[0]:
            yield node
        if isinstance(node, Splat):
            stack.append(node.target)
        else:
            stack.extend(children(node))


@functools.lru_cache(maxsize=16384)
def parse_template(text: str) -> tuple[Part, ...]:
    """The parts of a template's text (a quoted string's inside as written, or a heredoc's body);
    spans index `text`. HclExpressionError for a `${`/`%{` that no `}` closes; one whose inside
    python-hcl2 does not read is `Unparsed`."""
    return _template_parts(text, 0, len(text))


def _parse_at(source: str, start: int, end: int) -> Node:
    """The expression `source[start:end]`, with spans indexing `source`."""
    try:
        lark_tree = hcl2.parses_to_tree(_PREFIX + source[start:end] + _SUFFIX)
    except Exception as exc:  # lark's errors, and python-hcl2's post-lexer's
        raise HclExpressionError(f"not an HCL expression: {type(exc).__name__}") from None
    body = [c for c in lark_tree.children[0].children if isinstance(c, Tree) and c.data != "new_line_or_comment"]
    if len(body) != 1 or body[0].data != "attribute":
        raise HclExpressionError("not one HCL expression")
    node = _Builder(source, start - len(_PREFIX)).build(body[0].children[-1])
    if not isinstance(node, Parens):
        raise HclExpressionError("not one HCL expression")
    return node.expr


_OPERATOR = re.compile(r"(\|\||&&|==|!=|<=|>=|[<>+\-*/%])$")
_SEQUENCE = re.compile(r"\$\$\{|%%\{|\$\{|%\{")
_DIRECTIVE = re.compile(r"(if|for|else|endif|endfor)\b")
_FOR_NAMES = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_-]*)\s*(?:,\s*([A-Za-z_][A-Za-z0-9_-]*)\s*)?in\b")


def _template_parts(source: str, start: int, end: int) -> tuple[Part, ...]:
    parts: list[Part] = []
    literal = position = start
    searches_left = MAX_SLOW_PARSES_PER_TEMPLATE
    while True:
        match = _SEQUENCE.search(source, position, end)
        if match is None:
            break
        if match.group(0) in ("$${", "%%{"):  # escaped: literal text
            position = match.end()
            continue
        if match.start() > literal:
            parts.append(Text((literal, match.start()), source[literal : match.start()]))
        part, searched = _sequence(source, match.start(), end, search=searches_left > 0)
        searches_left -= searched
        parts.append(part)
        literal = position = part.span[1]
    if end > literal:
        parts.append(Text((literal, end), source[literal:end]))
    return tuple(parts)


def _sequence(
    source: str, start: int, end: int, *, search: bool = True
) -> tuple[Interpolation | Directive | Unparsed, bool]:
    """The `${...}` or `%{...}` at `source[start]`, closed by the first `}` after which its inside
    parses; and whether a later `}` was searched for (see MAX_SLOW_PARSES_PER_TEMPLATE)."""
    # Most are closed by the first `}` (`${var.a}`): if the text before it is one expression, the
    # `}` cannot belong to it (a `{`, string or heredoc of its own would be open), unless a comment hides it.
    close = source.find("}", start + 2, end)
    if close < 0:
        raise HclExpressionError(f"`{source[start : start + 2]}` at offset {start} is not closed")
    before = source[start + 2 : close]
    if not any(c in before for c in ("#", "//", "/*")):
        found = _inside(source, start, close)
        if found is not None:
            return found, False
    # Only a `{`, a quote, a heredoc or a comment before the first `}` can make a later one the close.
    searched = search and any(c in before for c in ("{", '"', "<<", "#", "//", "/*"))
    if searched:
        found = _searched(source, start, end)
        if found is not None:
            return found, True
    first = _skip_blank(source, start + 2, close, strip=True)
    last = close
    while last > first and source[last - 1] in " \t\r\n~":
        last -= 1
    return Unparsed((start, close + 1), source[first:last], directive=source[start] == "%"), searched


def _searched(source: str, start: int, end: int) -> Interpolation | Directive | None:
    """The sequence at `source[start]` closed where python-hcl2 says, else by the first of the next
    MAX_CLOSE_CANDIDATES `}` after which its inside parses; None if none does."""
    stop = _close(source, start, end)
    if stop is not None:
        found = _inside(source, start, stop)
        if found is not None:
            return found
    close = start + 2
    for _ in range(MAX_CLOSE_CANDIDATES):
        close = source.find("}", close, end)
        if close < 0:
            break
        found = _inside(source, start, close)
        if found is not None:
            return found
        close += 1
    return None


def _close(source: str, start: int, end: int) -> int | None:
    """Where python-hcl2 says the sequence at `source[start]` ends: parsing its expression on
    into the text after it, the grammar stops at the `}` that closes it. None if it does not say."""
    first = start + 2
    if source[start] == "%":
        keyword = _DIRECTIVE.match(source, _skip_blank(source, first, end, strip=True), end)
        if keyword is None:
            return None
        first = keyword.end()
        if keyword.group(1) == "for":
            names = _FOR_NAMES.match(source, first, end)
            if names is None:
                return None
            first = names.end()
        elif keyword.group(1) != "if":
            close = _skip_blank(source, first, end, strip=True)
            return close if source.startswith("}", close) else None
    try:
        hcl2.parses_to_tree(_PREFIX + source[first:end])
    except UnexpectedToken as exc:
        stop = exc.token.start_pos
        if not isinstance(stop, int) or stop < len(_PREFIX):
            return None
        close = _skip_blank(source, first + stop - len(_PREFIX), end, strip=True)
        return close if source.startswith("}", close) else None
    except Exception:  # lark's other errors (an unlexable character past the end): no answer
        return None
    return None


def _skip_blank(source: str, position: int, end: int, *, strip: bool = False) -> int:
    """The first position from `position` that is not whitespace (nor, with `strip`, a `~` marker)."""
    while position < end and (source[position] in " \t\r\n" or (strip and source[position] == "~")):
        position += 1
    return position


def _expression_at(source: str, first: int, last: int) -> Node:
    """The expression `source[first:last]` through the memo of `parse_expression`, its spans moved to index `source`."""
    node = parse_expression(source[first:last])
    return _shifted(node, first) if first else node


def _shifted(node: Any, offset: int) -> Any:
    """`node` (a node, a part, an item, or a tuple of them) with every span moved by `offset`."""
    if isinstance(node, tuple):
        return tuple(_shifted(item, offset) for item in node)
    if not dataclasses.is_dataclass(node) or isinstance(node, type):
        return node
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        changes[f.name] = (value[0] + offset, value[1] + offset) if f.name == "span" else _shifted(value, offset)
    return dataclasses.replace(node, **changes)


def _inside(source: str, start: int, close: int) -> Interpolation | Directive | None:
    first, last = start + 2, close
    while first < last and source[first] in " \t\r\n":
        first += 1
    left = first < last and source[first] == "~"
    first += left
    while last > first and source[last - 1] in " \t\r\n":
        last -= 1
    right = last > first and source[last - 1] == "~"
    last -= right
    while first < last and source[first] in " \t\r\n":
        first += 1
    while last > first and source[last - 1] in " \t\r\n":
        last -= 1
    span = (start, close + 1)
    try:
        if source[start] == "$":
            return Interpolation(span, _expression_at(source, first, last), (left, right))
        keyword = _DIRECTIVE.match(source, first, last)
        if keyword is None:
            return None
        word = keyword.group(1)
        if word in ("else", "endif", "endfor"):
            return Directive(span, word) if keyword.end() == last else None
        if word == "if":
            return Directive(span, word, _expression_at(source, _skip_blank(source, keyword.end(), last), last))
        names = _FOR_NAMES.match(source, keyword.end(), last)
        return (
            Directive(span, word, _expression_at(source, _skip_blank(source, names.end(), last), last))
            if names
            else None
        )
    except HclExpressionError:
        return None


class _Builder:
    """lark's tree of python-hcl2's grammar (hcl2.lark) -> nodes; `shift` maps lark's offsets to the caller's text."""

    def __init__(self, source: str, shift: int) -> None:
        self.source = source
        self.shift = shift

    def span(self, item: Tree | Token) -> Span:
        if isinstance(item, Token):
            return (item.start_pos + self.shift, item.end_pos + self.shift)  # type: ignore[operator]
        # lark's end of a rule counts a newline or comment the grammar lets trail it (`a ==\n b\n`)
        last: Tree | Token = item
        while isinstance(last, Tree):
            code = [c for c in last.children if not (isinstance(c, Tree) and c.data == "new_line_or_comment")]
            last = code[-1]
        return (item.meta.start_pos + self.shift, last.end_pos + self.shift)  # type: ignore[operator]

    def body(self, item: Tree) -> Body:
        out: list[Attribute | Block] = []
        for child in self._trees(item):
            if child.data == "attribute":
                name, value = self._trees(child)
                out.append(Attribute(self.span(child), self._name(name), self.build(value)))
            else:  # block: its type, its labels, its body
                kind, *labels, body = self._trees(child)
                out.append(Block(self.span(child), self._name(kind), tuple(map(self._label, labels)), self.body(body)))
        return tuple(out)

    def _label(self, item: Tree) -> str:
        if item.data == "string":
            start, end = self.span(item)
            return self.source[start + 1 : end - 1]
        return self._name(item)

    def build(self, item: Tree | Token) -> Node:
        if not isinstance(item, Tree):
            raise HclExpressionError(f"unexpected token {item.type}")
        method = getattr(self, f"_{item.data}", None)
        if method is None:
            raise HclExpressionError(f"unexpected {item.data}")
        node: Node = method(item, self.span(item))
        return node

    @staticmethod
    def _trees(item: Tree) -> list[Tree]:
        """The children that are rules, comments and newlines left out."""
        return [c for c in item.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]

    @staticmethod
    def _name(item: Tree) -> str:
        token = item.children[0]
        return str(token.value) if isinstance(token, Token) else str(token)

    def _expr_term(self, item: Tree, span: Span) -> Node:
        trees = self._trees(item)
        first = item.children[0]
        if isinstance(first, Token) and first.type == "LPAR":
            return Parens(span, self.build(trees[0]))
        return self.build(trees[0])

    def _int_lit(self, item: Tree, span: Span) -> Node:
        return Literal(span, int(self._name(item)))

    def _float_lit(self, item: Tree, span: Span) -> Node:
        return Literal(span, float(self._name(item)))

    def _literal_value(self, item: Tree, span: Span) -> Node:
        return Literal(span, {"true": True, "false": False, "null": None}[self._name(item)])

    def _identifier(self, item: Tree, span: Span) -> Node:
        return Variable(span, self._name(item))

    _keyword = _identifier

    def _string(self, item: Tree, span: Span) -> Node:
        parts: list[Part] = []
        for part in item.children:
            if not isinstance(part, Tree):
                continue  # the quotes
            inner = part.children[0]
            if isinstance(inner, Token):  # STRING_CHARS, ESCAPED_INTERPOLATION, ESCAPED_DIRECTIVE
                parts.append(Text(self.span(inner), str(inner.value)))
            elif inner.data == "interpolation":
                parts.append(Interpolation(self.span(inner), self.build(self._trees(inner)[0])))
            else:
                parts.append(self._directive(inner))
        merged: list[Part] = []
        for part in parts:  # python-hcl2 splits literal text at `$${`: one Text per run of text
            last = merged[-1] if merged else None
            if isinstance(part, Text) and isinstance(last, Text):
                merged[-1] = Text((last.span[0], part.span[1]), last.text + part.text)
            else:
                merged.append(part)
        return String(span, tuple(merged))

    def _directive(self, item: Tree) -> Directive:
        keyword = {
            "template_if_start": "if",
            "template_else": "else",
            "template_endif": "endif",
            "template_for_start": "for",
            "template_endfor": "endfor",
        }[str(item.data)]
        trees = [t for t in self._trees(item) if t.data != "identifier"]
        return Directive(self.span(item), keyword, self.build(trees[0]) if trees else None)

    def _template_string(self, item: Tree, span: Span) -> Node:
        return String(span, (Text(span, self._name(item)),))

    def _heredoc_template(self, item: Tree, span: Span) -> Node:
        token = item.children[0]
        assert isinstance(token, Token)
        text = str(token.value)
        body_start = span[0] + text.index("\n") + 1  # after `<<EOT`
        body_end = span[0] + text.rstrip("\r\n").rfind("\n") + 1  # before the closing marker's line
        body_end = max(body_start, body_end)
        return String(span, _template_parts(self.source, body_start, body_end), heredoc=True)

    _heredoc_template_trim = _heredoc_template

    def _tuple(self, item: Tree, span: Span) -> Node:
        return Tuple(span, tuple(self.build(t) for t in self._trees(item)))

    def _object(self, item: Tree, span: Span) -> Node:
        items: list[ObjectItem] = []
        for element in self._trees(item):
            key_tree, value_tree = self._trees(element)
            key = self.build(self._trees(key_tree)[0])  # an expression, or a keyword (`in = ...`) read as a name
            items.append(ObjectItem(self.span(element), key, self.build(value_tree)))
        return Object(span, tuple(items))

    def _function_call(self, item: Tree, span: Span) -> Node:
        names = [self._name(t) for t in self._trees(item) if t.data == "identifier"]
        arguments = next((t for t in self._trees(item) if t.data == "arguments"), None)
        args: tuple[Node, ...] = ()
        expand = False
        if arguments is not None:
            args = tuple(self.build(t) for t in self._trees(arguments))
            expand = any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in arguments.children)
        namespace = "::".join(names[:-1]) if len(names) > 1 else None
        return Call(span, names[-1], args, expand, namespace)

    def _index_expr_term(self, item: Tree, span: Span) -> Node:
        target, index = self._trees(item)
        return self._step(self.build(target), index, span)

    def _step(self, target: Node, step: Tree, span: Span) -> GetAttr | Index:
        if step.data == "get_attr":
            return GetAttr(span, target, self._name(self._trees(step)[0]))
        if step.data == "short_index":
            token = step.children[1]
            return Index(span, target, Literal(self.span(token), int(str(token))))
        return Index(span, target, self.build(self._trees(step)[0]))  # braces_index

    def _get_attr_expr_term(self, item: Tree, span: Span) -> Node:
        target, attr = self._trees(item)
        return self._step(self.build(target), attr, span)

    def _splat(self, item: Tree, span: Span, full: bool) -> Node:
        target_tree, splat = self._trees(item)
        target = self.build(target_tree)
        # each step applies to an element: its target is the element, written as nothing
        element: Node = Variable((self.span(splat)[0], self.span(splat)[0]), "")
        steps: list[GetAttr | Index] = []
        for step in self._trees(splat):
            element = self._step(element, step, (self.span(splat)[0], self.span(step)[1]))
            steps.append(element)
        return Splat(span, target, full, tuple(steps))

    def _attr_splat_expr_term(self, item: Tree, span: Span) -> Node:
        return self._splat(item, span, full=False)

    def _full_splat_expr_term(self, item: Tree, span: Span) -> Node:
        return self._splat(item, span, full=True)

    def _conditional(self, item: Tree, span: Span) -> Node:
        condition, true, false = self._trees(item)
        return Conditional(span, self.build(condition), self.build(true), self.build(false))

    def _binary_op(self, item: Tree, span: Span) -> Node:
        left, term = self._trees(item)
        operator, right = self._trees(term)
        # python-hcl2's post-lexer folds a comment or newline before the operator into its token (`/* c */+`)
        op = _OPERATOR.search(self._name(operator))
        if op is None:
            raise HclExpressionError(f"unexpected operator {self._name(operator)!r}")
        return BinaryOp(span, op.group(0), self.build(left), self.build(right))

    def _unary_op(self, item: Tree, span: Span) -> Node:
        op = item.children[0]
        return UnaryOp(span, str(op), self.build(self._trees(item)[0]))

    def _for_intro(self, item: Tree) -> tuple[str | None, str, Node]:
        names = [self._name(t) for t in self._trees(item) if t.data == "identifier"]
        collection = [t for t in self._trees(item) if t.data != "identifier"][0]
        key, value = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        return key, value, self.build(collection)

    def _for_parts(self, item: Tree) -> tuple[tuple[str | None, str, Node], list[Node], Node | None]:
        trees = self._trees(item)
        intro = self._for_intro(trees[0])
        condition = next((t for t in trees if t.data == "for_cond"), None)
        results = [self.build(t) for t in trees[1:] if t.data != "for_cond"]
        return intro, results, None if condition is None else self.build(self._trees(condition)[0])

    def _for_tuple_expr(self, item: Tree, span: Span) -> Node:
        (key, value, collection), results, condition = self._for_parts(item)
        return ForTuple(span, key, value, collection, results[0], condition)

    def _for_object_expr(self, item: Tree, span: Span) -> Node:
        (key, value, collection), results, condition = self._for_parts(item)
        grouping = any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in item.children)
        return ForObject(span, key, value, collection, results[0], results[1], grouping, condition)
