"""The one static evaluator every rule reads values through: what Terraform would compute from
the files alone, or `Unknown(reason)`, never a guess.

It knows: literals; `var.x` (each local caller's argument when the module is called from a
module tfgen read, else `terraform.tfvars`, `terraform.tfvars.json` and `*.auto.tfvars(.json)` of
the directory over the default, as Terraform loads them; `-var-file` files cannot be known);
`local.x`; `cond ? a : b`, `==`, `!=`, `<`, `>`, `<=`, `>=`, `!`, `&&`, `||`, parentheses;
string templates (`"arn:${local.partition}:kms:..."`); attribute and index access on known
values; the iterator of a `dynamic` block; and a few functions (`try`, `flatten`, `length`,
`keys`, `values`, `lookup`, `concat`, `coalesce`, `contains`; `jsonencode`/`tolist`/`toset`/
`tomap` give their argument, the value a policy rule reads). Anything else (a resource's
attribute, `path.module`, a `for` expression, other functions) is `Unknown` with the reason.

A value may have several possibilities (two callers passing different values): `values()`
returns each, up to `MAX_ALTERNATIVES`.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tfgen.hcl.quote import unquote
from tfgen.hcl.values import Expr, Template, skip_braces, skip_string, string_value

if TYPE_CHECKING:
    from tfgen.validate.module import Module

MAX_ALTERNATIVES = 16  # more is a combinatorial case no rule needs; it is Unknown instead
# The values one expression may go through before they are told apart: a function's arguments
# multiply. A real module's `coalesce(var.name, var.a ? "A" : null, ...)` over 20 toggles, each
# set both ways by its callers, is 3^20 combinations: tfgen grew past 10 GB on it (docs/accuracy.md).
MAX_COMBINATIONS = 1024
MAX_DEPTH = 24  # var -> caller argument -> local -> ... chains; deeper is a cycle in practice


@dataclass(frozen=True)
class Unknown:
    """A value tfgen cannot know from the files, and why."""

    reason: str
    expr: Any = None  # the expression as written (Expr/Template): rules still read references in it
    after_apply: bool = False  # only resource/data/module attributes are unknown: no static reading knows them
    input: bool = False  # a variable nobody sets: whoever runs the module chooses it (as an argument would)
    masked: str | None = None  # a template with its unknown parts replaced by "\0" (its literal text)


class _Error(Exception):
    """What Terraform would report as an error (a missing key): `try()` moves on, else Unknown."""


class _Unsupported(Exception):
    """Syntax this evaluator does not read."""


class _TooMany(Exception):
    """More than MAX_COMBINATIONS values: the expression is Unknown (not an error try() catches)."""


def _bounded(values: Iterable[Any]) -> list[Any]:
    """The values, at most MAX_COMBINATIONS of them, else _TooMany (never all of a huge product)."""
    out = list(itertools.islice(values, MAX_COMBINATIONS + 1))
    if len(out) > MAX_COMBINATIONS:
        raise _TooMany
    return out


Scope = dict[str, Any]  # dynamic-block iterator name -> {"key": ..., "value": ...}

# --- parsing: expression text -> a small tree of tuples ------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_-]*)"
    r"|(?P<op>==|!=|<=|>=|&&|\|\||=>|\.\.\.|[!?:<>()\[\]{}.,=*+\-/%]))"
)


def _tokens(text: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    i = 0
    while i < len(text):
        if text[i] in " \t\r\n":
            i += 1
            continue
        if text[i] == '"':
            end = skip_string(text, i)
            out.append(("str", string_value(text[i:end])))
            i = end
            continue
        match = _TOKEN.match(text, i)
        if not match or match.end() == i:
            raise _Unsupported(text[i:])
        kind = match.lastgroup or "op"
        value: Any = match.group(kind)
        if kind == "num":
            value = float(value) if any(c in value for c in ".eE") else int(value)
        out.append((kind, value))
        i = match.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self, value: str | None = None) -> bool:
        if self.i >= len(self.tokens):
            return False
        kind, token = self.tokens[self.i]
        return value is None or (kind in ("op", "name") and token == value)

    def take(self, value: str) -> None:
        if not self.peek(value):
            raise _Unsupported(value)
        self.i += 1

    def parse(self) -> tuple[Any, ...]:
        tree = self.conditional()
        if self.i != len(self.tokens):
            raise _Unsupported("trailing tokens")
        return tree

    def conditional(self) -> tuple[Any, ...]:
        cond = self.binary(0)
        if self.peek("?"):
            self.i += 1
            yes = self.conditional()
            self.take(":")
            return ("?", cond, yes, self.conditional())
        return cond

    LEVELS = (("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="))

    def binary(self, level: int) -> tuple[Any, ...]:
        if level == len(self.LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while any(self.peek(op) for op in self.LEVELS[level]):
            op = self.tokens[self.i][1]
            self.i += 1
            left = (op, left, self.binary(level + 1))
        return left

    def unary(self) -> tuple[Any, ...]:
        if self.peek("!"):
            self.i += 1
            return ("!", self.unary())
        if self.peek("-") and self.i + 1 < len(self.tokens) and self.tokens[self.i + 1][0] == "num":
            self.i += 2
            return ("lit", -self.tokens[self.i - 1][1])
        return self.postfix(self.primary())

    def postfix(self, tree: tuple[Any, ...]) -> tuple[Any, ...]:
        while True:
            if self.peek("."):
                self.i += 1
                kind, name = self.tokens[self.i] if self.i < len(self.tokens) else ("", "")
                if kind not in ("name", "num"):
                    raise _Unsupported("splat")
                self.i += 1
                tree = ("get", tree, ("lit", name))
            elif self.peek("["):
                self.i += 1
                if self.peek("*"):
                    raise _Unsupported("splat")
                index = self.conditional()
                self.take("]")
                tree = ("get", tree, index)
            else:
                return tree

    def primary(self) -> tuple[Any, ...]:
        if self.i >= len(self.tokens):
            raise _Unsupported("end")
        kind, token = self.tokens[self.i]
        self.i += 1
        if kind in ("num", "str"):
            return ("lit", token)
        if kind == "name":
            if token in ("true", "false", "null"):
                return ("lit", {"true": True, "false": False, "null": None}[token])
            if token == "for":
                raise _Unsupported("for")
            if self.peek("("):
                self.i += 1
                args = self.items(")")
                return ("call", token, args)
            return ("ref", token)
        if token == "(":
            inner = self.conditional()
            self.take(")")
            return inner
        if token == "[":
            if self.peek("for"):
                raise _Unsupported("for")
            return ("list", self.items("]"))
        if token == "{":
            if self.peek("for"):
                raise _Unsupported("for")
            pairs: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = []
            while not self.peek("}"):
                key = self.conditional()
                key = ("lit", key[1]) if key[0] == "ref" else key  # `{ a = 1 }`: a bare key is its name
                if not (self.peek("=") or self.peek(":")):
                    raise _Unsupported("object")
                self.i += 1
                pairs.append((key, self.conditional()))
                if self.peek(","):
                    self.i += 1
            self.i += 1
            return ("object", pairs)
        raise _Unsupported(str(token))

    def items(self, close: str) -> list[tuple[Any, ...]]:
        out: list[tuple[Any, ...]] = []
        while not self.peek(close):
            out.append(self.conditional())
            if self.peek("..."):
                raise _Unsupported("expansion")
            if self.peek(","):
                self.i += 1
            elif not self.peek(close):
                raise _Unsupported(close)
        self.i += 1
        return out


# --- evaluation ----------------------------------------------------------------------------------

_TFVARS = re.compile(r"^(terraform\.tfvars(\.json)?|.*\.auto\.tfvars(\.json)?)$")


def _tfvars_order(name: str) -> tuple[int, str]:
    """Terraform's order: terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json) by name."""
    return ({"terraform.tfvars": 0, "terraform.tfvars.json": 1}.get(name, 2), name)


def _same(a: Any, b: Any) -> bool:
    """Terraform's `==`: a bool is never equal to a number, nor a string to either."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def _distinct(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if not any(_same(value, seen) and repr(value) == repr(seen) for seen in out):
            out.append(value)
    return out


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (str, int, float)):
        return str(value)
    raise _Error("only a string, number or bool can be interpolated")


def _index(collection: Any, key: Any) -> Any:
    if isinstance(collection, dict):
        if not isinstance(key, str) or key not in collection:
            raise _Error(f"no key {key!r}")
        return collection[key]
    if isinstance(collection, list) and isinstance(key, (int, float)) and not isinstance(key, bool):
        if not (0 <= int(key) < len(collection)):
            raise _Error("index out of range")
        return collection[int(key)]
    raise _Error("not indexable")


def _flatten(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise _Error("flatten of a non-list")
    out: list[Any] = []
    for item in value:
        out.extend(_flatten(item) if isinstance(item, list) else [item])
    return out


def _lookup(m: Any, key: Any, *default: Any) -> Any:
    if isinstance(m, dict) and isinstance(key, str) and key in m:
        return m[key]
    if default:
        return default[0]
    raise _Error("no such key")


def _coalesce(*args: Any) -> Any:
    for arg in args:
        if arg is not None and arg != "":
            return arg
    raise _Error("no non-null argument")


def _length(value: Any) -> int:
    if isinstance(value, (list, dict, str)):
        return len(value)
    raise _Error("length of a non-collection")


def _keys(value: Any) -> list[Any]:
    if not isinstance(value, dict):
        raise _Error("keys of a non-map")
    return sorted(value)


def _values(value: Any) -> list[Any]:
    if not isinstance(value, dict):
        raise _Error("values of a non-map")
    return [value[k] for k in sorted(value)]


def _concat(*lists: Any) -> list[Any]:
    if not all(isinstance(item, list) for item in lists):
        raise _Error("concat of a non-list")
    return [x for item in lists for x in item]


def _contains(collection: Any, value: Any) -> bool:
    if not isinstance(collection, list):
        raise _Error("contains on a non-list")
    return any(_same(value, item) for item in collection)


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "flatten": _flatten,
    "length": _length,
    "keys": _keys,
    "values": _values,
    "lookup": _lookup,
    "concat": _concat,
    "coalesce": _coalesce,
    "contains": _contains,
    # tfgen reads an encoded policy as the value itself (policies.py parses dicts, not JSON text)
    "jsonencode": lambda v: v,
    "tolist": lambda v: v,
    "toset": lambda v: v,
    "tomap": lambda v: v,
}
_RESOURCE_TYPE = re.compile(r"^[a-z][a-z0-9]*_[A-Za-z0-9_-]*$")


def _root(tree: tuple[Any, ...]) -> str:
    """The name a chain of attribute/index accesses starts from ("" when it is not a name)."""
    while tree[0] == "get":
        tree = tree[1]
    return str(tree[1]) if tree[0] == "ref" else ""


def _reference(tree: tuple[Any, ...]) -> str:
    """`data.aws_partition.current` for the tree of `data.aws_partition.current` (as far as it is names)."""
    if tree[0] == "ref":
        return str(tree[1])
    if tree[0] == "get" and tree[2][0] == "lit":
        return f"{_reference(tree[1])}.{tree[2][1]}"
    return "..."


@dataclass
class Evaluator:
    """Evaluates expressions of one module (its variables, locals, tfvars and callers)."""

    module: Module
    call: Any = None  # a `module` block (Node): read the module's variables as this one call sets them
    cache: dict[Any, list[Any]] = field(default_factory=dict)
    active: set[str] = field(default_factory=set)  # variables and locals being evaluated (a cycle guard)

    def values(self, value: Any, scope: Scope | None = None) -> list[Any]:
        """Every value `value` (a normalised HCL value) may have; each literal or `Unknown`."""
        cacheable = scope is None and isinstance(value, (Expr, Template))
        if cacheable and value in self.cache:
            return self.cache[value]
        result = self._value(value, scope or {})
        if cacheable:
            self.cache[value] = result
        return result

    def _value(self, value: Any, scope: Scope) -> list[Any]:
        if isinstance(value, Expr):
            try:
                tree = _Parser(value.text).parse()
            except (_Unsupported, RecursionError, ValueError):
                return [Unknown(f"`{_short(value.text)}` is not evaluated", value)]
            return [self._unknown_as(v, value) for v in self._eval_tree(tree, scope)]
        if isinstance(value, Template):
            return self._template(value, scope)
        if isinstance(value, list):
            return self._product([self._member(v, scope) for v in value], list)
        if isinstance(value, dict):
            keys = list(value)
            return self._product(
                [self._member(value[k], scope) for k in keys], lambda vs: dict(zip(keys, vs, strict=True))
            )
        return [value]

    def _member(self, value: Any, scope: Scope) -> list[Any]:
        return [self._unknown_as(v, value) for v in self._value(value, scope)]

    def _unknown_as(self, value: Any, expr: Any) -> Any:
        if isinstance(value, Unknown) and value.expr is None:
            return Unknown(value.reason, expr, value.after_apply, value.input)
        return value

    def _product(self, options: list[list[Any]], build: Callable[[list[Any]], Any]) -> list[Any]:
        out: list[Any] = []
        for combination in itertools.product(*options):
            out.append(build(list(combination)))
            if len(out) > MAX_ALTERNATIVES:
                return [Unknown("too many possible values")]
        return _distinct(out) if out else [build([])]

    def _eval_tree(self, tree: tuple[Any, ...], scope: Scope) -> list[Any]:
        try:
            return _distinct(_bounded(self._eval(tree, scope)))[: MAX_ALTERNATIVES + 1]
        except _TooMany:
            return [Unknown("too many possible values")]
        except _Error as error:
            return [Unknown(f"Terraform would fail here: {error}")]
        except RecursionError:
            return [Unknown("too deeply nested")]

    def _eval(self, tree: tuple[Any, ...], scope: Scope) -> Iterator[Any]:  # noqa: C901  # one branch per node kind
        op = tree[0]
        if op == "lit":
            yield from self._value(tree[1], scope)
        elif op == "ref":
            yield from self._ref(tree, scope)
        elif op == "get" and _root(tree) not in scope and _root(tree) not in ("var", "local", ""):
            root = _root(tree)
            after_apply = root in ("data", "module") or bool(_RESOURCE_TYPE.match(root))
            yield Unknown(
                f"{_reference(tree)} is known only after apply"
                if after_apply
                else f"{_reference(tree)} is not evaluated",
                after_apply=after_apply,
            )
        elif op == "get" and tree[1][0] == "ref" and tree[1][1] not in scope:
            attribute = tree[2][1] if tree[2][0] == "lit" else None
            if not isinstance(attribute, str):
                yield Unknown(f"{tree[1][1]}[...] is not evaluated")
            else:
                yield from self.variable(attribute) if tree[1][1] == "var" else self.local(attribute)
        elif op == "get":
            for collection in self._eval(tree[1], scope):
                if isinstance(collection, Unknown):
                    yield collection
                    continue
                for key in self._eval(tree[2], scope):
                    yield key if isinstance(key, Unknown) else _index(collection, key)
        elif op == "list":
            yield from self._product([_bounded(self._eval(t, scope)) for t in tree[1]], list)
        elif op == "object":
            pairs = tree[1]
            keys = [self._known_one(k, scope) for k, _ in pairs]
            if any(isinstance(k, Unknown) or not isinstance(k, str) for k in keys):
                yield Unknown("an object key is not known")
                return
            yield from self._product(
                [_bounded(self._eval(v, scope)) for _, v in pairs], lambda vs: dict(zip(keys, vs, strict=True))
            )
        elif op == "call":
            yield from self._call(tree[1], tree[2], scope)
        elif op == "?":
            for cond in self._eval(tree[1], scope):
                if isinstance(cond, Unknown):
                    yield _derived(cond)
                elif not isinstance(cond, bool):
                    raise _Error("a condition must be a bool")
                else:
                    yield from self._unified(tree[2] if cond else tree[3], tree[3] if cond else tree[2], scope)
        elif op == "!":
            for operand in self._eval(tree[1], scope):
                yield _derived(operand) if isinstance(operand, Unknown) else not _bool(operand)
        else:
            for left in self._eval(tree[1], scope):
                for right in self._eval(tree[2], scope):
                    if isinstance(left, Unknown) or isinstance(right, Unknown):
                        yield _derived(left if isinstance(left, Unknown) else right)
                    else:
                        yield _binary(op, left, right)

    def _unified(self, chosen: tuple[Any, ...], other: tuple[Any, ...], scope: Scope) -> Iterator[Any]:
        """The chosen branch's values, converted as Terraform unifies the two branches' types: a
        number or bool becomes a string where the other branch is a string (`c ? 0 : ""` is "0")."""
        try:
            to_string = any(isinstance(v, str) for v in self._eval(other, scope))
        except _Error:
            to_string = False
        for value in self._eval(chosen, scope):
            yield _text(value) if to_string and isinstance(value, (bool, int, float)) else value

    def _known_one(self, tree: tuple[Any, ...], scope: Scope) -> Any:
        found = _bounded(self._eval(tree, scope))
        return found[0] if len(found) == 1 else Unknown("several possible values")

    def _call(self, name: str, args: list[tuple[Any, ...]], scope: Scope) -> Iterator[Any]:
        if name in ("try", "can"):
            for arg in args:
                try:
                    found = _bounded(self._eval(arg, scope))
                except _Error:
                    continue
                yield from (
                    found if name == "try" else [_derived(v) if isinstance(v, Unknown) else True for v in found]
                )
                return
            if name == "can":
                yield False
                return
            raise _Error("no argument of try() succeeded")
        function = _FUNCTIONS.get(name)
        if function is None:
            yield Unknown(f"the function {name}() is not evaluated")
            return
        options = [_distinct(_bounded(self._eval(a, scope))) for a in args]
        if math.prod(len(o) for o in options) > MAX_COMBINATIONS:
            raise _TooMany
        for combination in itertools.product(*options):
            # an unknown element of a known collection does not stop flatten() or length(); an unknown argument does
            unknown = next((v for v in combination if isinstance(v, Unknown)), None)
            if unknown is not None:
                yield _derived(unknown)
                continue
            try:
                yield function(*combination)
            except TypeError as error:  # a wrong number of arguments: Terraform would reject it too
                raise _Error(f"{name}(): {error}") from error

    def _ref(self, tree: tuple[Any, ...], scope: Scope) -> Iterator[Any]:
        if tree[1] in scope:
            yield scope[tree[1]]
        else:
            yield Unknown(f"{tree[1]} is not evaluated")

    def variable(self, name: str) -> list[Any]:
        key = f"var.{name}"
        node = self.module.by_address.get(key)
        if node is None:
            return [Unknown(f"{key} is not declared in {self.module.directory.name or '.'}", input=True)]
        if key in self.active or len(self.active) > MAX_DEPTH:
            return [Unknown(f"{key} refers to itself")]
        self.active.add(key)
        try:
            if self.module.callers:  # a called module: each caller's argument, else the default
                out: list[Any] = []
                for caller, call in self.module.callers:
                    if self.call is not None and call is not self.call:
                        continue
                    if name in call.body:
                        out.extend(evaluator(caller).values(call.body[name]))
                    elif "default" in node.body:
                        out.extend(self.values(node.body["default"]))
                    else:
                        out.append(Unknown(f"module.{call.name} does not set {key}, which has no default"))
                return _distinct(out)[: MAX_ALTERNATIVES + 1]
            for tfvars in sorted(self.module.of_kind("tfvars"), key=lambda n: _tfvars_order(n.name), reverse=True):
                if _TFVARS.match(tfvars.name) and name in tfvars.body:
                    return self.values(tfvars.body[name])
            if "default" in node.body:
                return self.values(node.body["default"])
            return [
                Unknown(
                    f"{key} has no default, no terraform.tfvars or *.auto.tfvars value and no caller tfgen read",
                    input=True,
                )
            ]
        finally:
            self.active.discard(key)

    def local(self, name: str) -> list[Any]:
        key = f"local.{name}"
        entry = self.module.locals.get(name)
        if entry is None:
            return [Unknown(f"{key} is not declared")]
        if key in self.active or len(self.active) > MAX_DEPTH:
            return [Unknown(f"{key} refers to itself")]
        self.active.add(key)
        try:
            return self.values(entry[1])
        finally:
            self.active.discard(key)

    def _template(self, template: Template, scope: Scope) -> list[Any]:
        text = template.text
        heredoc = "\n" in text  # a quoted string cannot hold a raw newline: its escapes are still written
        parts: list[list[Any]] = []
        i, start = 0, 0
        while i < len(text):
            if text.startswith(("$${", "%%{"), i):
                i += 3
                continue
            if text.startswith("%{", i):
                return [Unknown("a template directive (%{...}) is not evaluated", template)]
            if text.startswith("${", i):
                parts.append([_literal(text[start:i], heredoc)])
                end = skip_braces(text, i + 1)
                parts.append(self.values(Expr(text[i + 2 : end - 1].strip().lstrip("~").rstrip("~").strip()), scope))
                i = start = end
                continue
            i += 1
        parts.append([_literal(text[start:], heredoc)])
        if len(parts) == 3 and parts[0] == [""] and parts[2] == [""]:
            return parts[1]  # "${x}" alone is x itself, of its own type (Terraform does not make it a string)
        out: list[Any] = []
        for combination in itertools.product(*parts):
            # Bounded whatever the combination holds: an unknown part once skipped this check, and
            # a module called four ways with `"${aws_kms_key.k.arn}${var.v}...${var.v}"` then built
            # all 4^n products and compared them pairwise (n=8: no verdict in 120 s).
            if len(out) >= MAX_ALTERNATIVES:
                return [Unknown("too many possible values", template)]
            unknown = [p for p in combination if isinstance(p, Unknown)]
            if unknown:
                masked = "".join("\0" if isinstance(p, Unknown) else _safe_text(p) for p in combination)
                out.append(
                    Unknown(unknown[0].reason, template, after_apply=all(u.after_apply for u in unknown), masked=masked)
                )
                continue
            try:
                out.append("".join(_text(p) for p in combination))
            except _Error as error:
                out.append(Unknown(f"Terraform would fail here: {error}", template))
        return _distinct(out)


def unknowns(value: Any) -> Iterator[Unknown]:
    """Every `Unknown` in a value, however deep in lists and maps."""
    if isinstance(value, Unknown):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from unknowns(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from unknowns(item)


def as_written(value: Any) -> Any:
    """A value with each `Unknown` in it put back as the expression it was written as."""
    if isinstance(value, Unknown):
        return value.expr
    if isinstance(value, list):
        return [as_written(v) for v in value]
    if isinstance(value, dict):
        return {k: as_written(v) for k, v in value.items()}
    return value


def _derived(unknown: Unknown) -> Unknown:
    """An Unknown that a computation depends on: the result is neither an input nor a resource's attribute."""
    return Unknown(unknown.reason)


def _safe_text(value: Any) -> str:
    try:
        return _text(value)
    except _Error:
        return "\0"


def _literal(part: str, heredoc: bool) -> str:
    part = part.replace("$${", "${").replace("%%{", "%{")
    if heredoc or "\\" not in part:
        return part
    try:
        return unquote('"' + part + '"')
    except ValueError:
        return part


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):  # Terraform converts these strings where a bool is expected
        return value == "true"
    raise _Error("not a bool")


def _binary(op: str, left: Any, right: Any) -> Any:
    if op == "==":
        return _same(left, right)
    if op == "!=":
        return not _same(left, right)
    if op in ("&&", "||"):
        return (_bool(left) and _bool(right)) if op == "&&" else (_bool(left) or _bool(right))
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right)):
        raise _Error(f"{op} needs numbers")
    return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[op]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def evaluator(module: Module) -> Evaluator:
    """The module's evaluator (one per module, so its cache is shared by every rule)."""
    found = module.memo.get("evaluator")
    if found is None:
        found = module.memo["evaluator"] = Evaluator(module)
    return found


def blocks(value: Any) -> list[dict[str, Any]]:
    """Nested blocks of a body: python-hcl2 gives a list of dicts; JSON may give one dict."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return []


def expand_blocks(
    module: Module, body: dict[str, Any], name: str, scope: Scope | None = None
) -> tuple[list[tuple[dict[str, Any], Scope]], Unknown | None]:
    """The nested `name` blocks of a body with the scope to read each in: the written ones, and
    those a `dynamic "name"` generates for each element its `for_each` evaluates to (the iterator,
    `name` or the `iterator` argument, bound to that element's key and value). The second item
    is why some blocks cannot be known (a `for_each` the evaluator reports Unknown), else None."""
    scope = scope or {}
    out: list[tuple[dict[str, Any], Scope]] = [(block, scope) for block in blocks(body.get(name))]
    unknown: Unknown | None = None
    for dynamic in blocks(body.get("dynamic")):
        for generator in blocks(dynamic.get(name)):
            iterator = generator.get("iterator")
            label = iterator.text if isinstance(iterator, Expr) else iterator if isinstance(iterator, str) else name
            contents = blocks(generator.get("content"))
            for collection in module.values(generator.get("for_each"), scope):
                # a list of unknown elements still has a known length: its elements stay Unknown in the scope
                problem = collection if isinstance(collection, Unknown) else None
                if problem is None and not isinstance(collection, (list, dict)):
                    problem = Unknown("for_each is not a collection")
                if problem is not None:
                    unknown = unknown or Unknown(
                        f'dynamic "{name}" for_each: {problem.reason}', problem.expr, problem.after_apply
                    )
                    continue
                pairs = collection.items() if isinstance(collection, dict) else enumerate(collection)
                for key, value in pairs:
                    out.extend((content, {**scope, label: {"key": key, "value": value}}) for content in contents)
    return out, unknown
