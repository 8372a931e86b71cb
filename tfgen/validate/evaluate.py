"""The one static evaluator every rule reads values through: what Terraform would compute from
the files alone, or `Unknown(reason)`, never a guess.

It knows: literals; `var.x` (each local caller's argument when the module is called from a
module tfgen read, else `terraform.tfvars`, `terraform.tfvars.json` and `*.auto.tfvars(.json)` of
the directory over the default, as Terraform loads them; `-var-file` files cannot be known; an
`optional()` object attribute the value leaves out takes its default, else null, as Terraform
converts a value to the variable's type);
`local.x`; `cond ? a : b`, `==`, `!=`, `<`, `>`, `<=`, `>=`, `!`, `&&`, `||`, parentheses;
string templates (`"arn:${local.partition}:kms:..."`); attribute and index access on known
values; the iterator of a `dynamic` block; and a few functions (`try`, `flatten`, `length`,
`keys`, `values`, `lookup`, `concat`, `coalesce`, `contains`, `format` with `%s`, `%d`, `%v`;
`jsonencode`/`tolist`/`toset`/
`tomap` give their argument, the value a policy rule reads). Anything else (a resource's
attribute, `path.module`, a `for` expression, other functions) is `Unknown` with the reason.

A value may have several possibilities (two callers passing different values): `values()`
returns each, up to `MAX_ALTERNATIVES`.
"""

from __future__ import annotations

import base64
import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tfgen.hcl import syntax
from tfgen.hcl.quote import unquote
from tfgen.hcl.syntax import (
    BinaryOp,
    Call,
    Conditional,
    Directive,
    ForObject,
    ForTuple,
    GetAttr,
    HclExpressionError,
    Index,
    Interpolation,
    Literal,
    Node,
    Object,
    ObjectItem,
    Parens,
    Splat,
    String,
    Text,
    Tuple,
    UnaryOp,
    Unparsed,
    Variable,
)
from tfgen.hcl.values import Expr, Template, string_value

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
    address: str | None = None  # after_apply: the resource, data source or module whose attribute it is


class _Error(Exception):
    """What Terraform would report as an error (a missing key): `try()` moves on, else Unknown."""


class _TooMany(Exception):
    """More than MAX_COMBINATIONS values: the expression is Unknown (not an error try() catches)."""


def _bounded(values: Iterable[Any]) -> list[Any]:
    """The values, at most MAX_COMBINATIONS of them, else _TooMany (never all of a huge product)."""
    out = list(itertools.islice(values, MAX_COMBINATIONS + 1))
    if len(out) > MAX_COMBINATIONS:
        raise _TooMany
    return out


Scope = dict[str, Any]  # dynamic-block iterator name -> {"key": ..., "value": ...}

# --- what the evaluator reads of the syntax tree (tfgen.hcl.syntax) -------------------------------

# Operators it evaluates; arithmetic is not read (an expression holding it is Unknown as a whole).
_OPERATORS = frozenset({"||", "&&", "==", "!=", "<", ">", "<=", ">="})


def _bare(node: Node) -> Node:
    """`node` without the parentheses around it: `(var).x` reads as `var.x`."""
    while isinstance(node, Parens):
        node = node.expr
    return node


def _negative(node: Node) -> bool:
    """`-1`, `- 2.5`: a minus before a number literal is part of the number."""
    operand = _bare(node.operand) if isinstance(node, UnaryOp) else None
    return (
        isinstance(operand, Literal)
        and node.op == "-"  # type: ignore[union-attr]
        and isinstance(operand.value, (int, float))
        and not isinstance(operand.value, bool)
    )


def _unread(tree: Node) -> str | None:
    """Syntax anywhere in `tree` (strings aside: a template is read on its own) that this evaluator
    does not read, else None: `for` expressions, splats, arithmetic, `...` expansion, provider
    functions, heredocs inside an expression."""
    stack: list[Any] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ForTuple, ForObject)):
            return "for"
        if isinstance(node, Splat):
            return "splat"
        if isinstance(node, BinaryOp) and node.op not in _OPERATORS:
            return node.op
        if isinstance(node, UnaryOp) and node.op != "!" and not _negative(node):
            return node.op
        if isinstance(node, Call) and (node.expand or node.namespace):
            return "call"
        if isinstance(node, String):
            if node.heredoc:
                return "heredoc"
            continue
        stack.extend(child for child in syntax.children(node) if not isinstance(child, ObjectItem))
        if isinstance(node, Object):
            stack.extend(n for item in node.items for n in (item.key, item.value))
    return None


def _literal_key(node: Node, source: str) -> tuple[bool, Any]:
    """(True, value) where `node` is written as a literal (a number, a name after `.`, a quoted
    string without interpolation), else (False, None)."""
    node = _bare(node)
    if isinstance(node, Literal):
        return True, node.value
    if _negative(node):
        return True, -_bare(node.operand).value  # type: ignore[union-attr, operator]
    if isinstance(node, String) and not node.heredoc:
        return True, string_value(source[node.span[0] : node.span[1]])
    return False, None


def _step_key(node: GetAttr | Index, source: str) -> tuple[bool, Any]:
    return (True, node.name) if isinstance(node, GetAttr) else _literal_key(node.key, source)


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


_VERB = re.compile(r"%(.)")


def _format(spec: Any, *args: Any) -> Any:
    """Terraform's `format()` for the verbs `%s`, `%d`, `%v` and `%%` (an ARN built with
    `format("arn:%s:iam::aws:policy/%s", ...)`); any other verb or a flag is Unknown, never a guess."""
    if not isinstance(spec, str):
        raise _Error("format needs a string")
    values = iter(args)
    out: list[str] = []
    position = 0
    for match in _VERB.finditer(spec):
        out.append(spec[position : match.start()])
        position = match.end()
        verb = match.group(1)
        if verb == "%":
            out.append("%")
            continue
        if verb not in "sdv":
            return Unknown(f"format() verb %{verb} is not evaluated")
        value = next(values, None)
        if value is None:
            raise _Error("format() has too few arguments")
        if verb == "d" and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise _Error("format() %d needs a number")
        out.append(_text(value))
    out.append(spec[position:])
    return "".join(out)


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "format": _format,
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
    "base64encode": lambda v: base64.b64encode(_text(v).encode("utf-8")).decode("ascii"),
    "tolist": lambda v: v,
    "toset": lambda v: v,
    "tomap": lambda v: v,
}
_RESOURCE_TYPE = re.compile(r"^[a-z][a-z0-9]*_[A-Za-z0-9_-]*$")


def _root(node: Node) -> str:
    """The name a chain of attribute/index accesses starts from ("" when it is not a name)."""
    node = _bare(node)
    while isinstance(node, (GetAttr, Index)):
        node = _bare(node.target)
    return node.name if isinstance(node, Variable) else ""


def _reference(node: Node, source: str) -> str:
    """`data.aws_partition.current` for `data.aws_partition.current` (as far as it is names)."""
    node = _bare(node)
    if isinstance(node, Variable):
        return node.name
    if isinstance(node, (GetAttr, Index)):
        literal, key = _step_key(node, source)
        if literal:
            return f"{_reference(node.target, source)}.{key}"
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
                tree = value.tree
            except (HclExpressionError, RecursionError):
                tree = None
            if tree is None or _unread(tree) is not None:
                return [Unknown(f"`{_short(value.text)}` is not evaluated", value)]
            return [self._unknown_as(v, value) for v in self._eval_tree(tree, value.text, scope)]
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
            return Unknown(value.reason, expr, value.after_apply, value.input, address=value.address)
        return value

    def _product(self, options: list[list[Any]], build: Callable[[list[Any]], Any]) -> list[Any]:
        out: list[Any] = []
        for combination in itertools.product(*options):
            out.append(build(list(combination)))
            if len(out) > MAX_ALTERNATIVES:
                return [Unknown("too many possible values")]
        return _distinct(out) if out else [build([])]

    def _eval_tree(self, tree: Node, source: str, scope: Scope) -> list[Any]:
        try:
            return _distinct(_bounded(self._eval(tree, source, scope)))[: MAX_ALTERNATIVES + 1]
        except _TooMany:
            return [Unknown("too many possible values")]
        except _Error as error:
            return [Unknown(f"Terraform would fail here: {error}")]
        except RecursionError:
            return [Unknown("too deeply nested")]

    def _eval(self, node: Node, source: str, scope: Scope) -> Iterator[Any]:
        """The values of `node`, a node of the tree of `source` (`_unread` found nothing in it),
        from the method `_EVALUATE` names for its kind; each is a generator, so nothing runs
        until the values are read."""
        node = _bare(node)
        return _EVALUATE.get(type(node), Evaluator._eval_unknown_kind)(self, node, source, scope)

    def _eval_unknown_kind(self, node: Node, source: str, scope: Scope) -> Iterator[Any]:
        raise _Error(f"{type(node).__name__} is not evaluated")  # `_unread` keeps these out
        yield  # a generator, as every evaluating method: the error is raised where the values are read

    def _eval_literal(self, node: Literal, source: str, scope: Scope) -> Iterator[Any]:
        yield node.value

    def _eval_string(self, node: String, source: str, scope: Scope) -> Iterator[Any]:
        yield from self._value(string_value(source[node.span[0] : node.span[1]]), scope)

    def _eval_variable(self, node: Variable, source: str, scope: Scope) -> Iterator[Any]:
        yield scope[node.name] if node.name in scope else Unknown(f"{node.name} is not evaluated")

    def _eval_tuple(self, node: Tuple, source: str, scope: Scope) -> Iterator[Any]:
        yield from self._product([_bounded(self._eval(t, source, scope)) for t in node.items], list)

    def _eval_object(self, node: Object, source: str, scope: Scope) -> Iterator[Any]:
        keys = [self._key(item.key, source, scope) for item in node.items]
        if any(isinstance(k, Unknown) or not isinstance(k, str) for k in keys):
            yield Unknown("an object key is not known")
            return
        yield from self._product(
            [_bounded(self._eval(item.value, source, scope)) for item in node.items],
            lambda vs: dict(zip(keys, vs, strict=True)),
        )

    def _eval_function(self, node: Call, source: str, scope: Scope) -> Iterator[Any]:
        yield from self._call(node.name, node.args, source, scope)

    def _eval_conditional(self, node: Conditional, source: str, scope: Scope) -> Iterator[Any]:
        for cond in self._eval(node.condition, source, scope):
            if isinstance(cond, Unknown):
                yield _derived(cond)
            elif not isinstance(cond, bool):
                raise _Error("a condition must be a bool")
            else:
                chosen, other = (node.true, node.false) if cond else (node.false, node.true)
                yield from self._unified(chosen, other, source, scope)

    def _eval_unary(self, node: UnaryOp, source: str, scope: Scope) -> Iterator[Any]:
        if node.op != "!":  # a negative number (`_unread` lets no other through)
            yield _literal_key(node, source)[1]
            return
        for operand in self._eval(node.operand, source, scope):
            yield _derived(operand) if isinstance(operand, Unknown) else not _bool(operand)

    def _eval_binary(self, node: BinaryOp, source: str, scope: Scope) -> Iterator[Any]:
        for left in self._eval(node.left, source, scope):
            for right in self._eval(node.right, source, scope):
                if isinstance(left, Unknown) or isinstance(right, Unknown):
                    yield _derived(left if isinstance(left, Unknown) else right)
                else:
                    yield _binary(node.op, left, right)

    def _get(self, node: GetAttr | Index, source: str, scope: Scope) -> Iterator[Any]:
        """`target.name` and `target[key]`: a resource's attribute, `var.x`, `local.x`, or an element."""
        root = _root(node)
        target = _bare(node.target)
        if root not in scope and root not in ("var", "local", ""):
            after_apply = root in ("data", "module") or bool(_RESOURCE_TYPE.match(root))
            reference = _reference(node, source)
            yield Unknown(
                f"{reference} is known only after apply" if after_apply else f"{reference} is not evaluated",
                after_apply=after_apply,
                address=".".join(reference.split(".")[: 3 if root == "data" else 2]) if after_apply else None,
            )
        elif isinstance(target, Variable) and target.name not in scope:
            literal, attribute = _step_key(node, source)
            if not literal or not isinstance(attribute, str):
                yield Unknown(f"{target.name}[...] is not evaluated")
            else:
                yield from self.variable(attribute) if target.name == "var" else self.local(attribute)
        else:
            for collection in self._eval(target, source, scope):
                if isinstance(collection, Unknown):
                    yield collection
                    continue
                keys = [node.name] if isinstance(node, GetAttr) else self._eval(node.key, source, scope)
                for key in keys:
                    yield key if isinstance(key, Unknown) else _index(collection, key)

    def _key(self, key: Node, source: str, scope: Scope) -> Any:
        """An object key: a bare name is itself (`{ a = 1 }`), anything else its one value."""
        bare = _bare(key)
        if isinstance(bare, Variable):
            return bare.name
        found = _bounded(self._eval(key, source, scope))
        return found[0] if len(found) == 1 else Unknown("several possible values")

    def _unified(self, chosen: Node, other: Node, source: str, scope: Scope) -> Iterator[Any]:
        """The chosen branch's values, converted as Terraform unifies the two branches' types: a
        number or bool becomes a string where the other branch is a string (`c ? 0 : ""` is "0")."""
        try:
            to_string = any(isinstance(v, str) for v in self._eval(other, source, scope))
        except _Error:
            to_string = False
        for value in self._eval(chosen, source, scope):
            yield _text(value) if to_string and isinstance(value, (bool, int, float)) else value

    def _call(self, name: str, args: tuple[Node, ...], source: str, scope: Scope) -> Iterator[Any]:
        if name in ("try", "can"):
            for arg in args:
                try:
                    found = _bounded(self._eval(arg, source, scope))
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
        options = [_distinct(_bounded(self._eval(a, source, scope))) for a in args]
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

    def variable(self, name: str) -> list[Any]:
        key = f"var.{name}"
        node = self.module.by_address.get(key)
        if node is None:
            return [Unknown(f"{key} is not declared in {self.module.directory.name or '.'}", input=True)]
        if key in self.active or len(self.active) > MAX_DEPTH:
            return [Unknown(f"{key} refers to itself")]
        self.active.add(key)
        try:
            found = self._variable(name, key, node)
        finally:
            self.active.discard(key)
        kind = node.body.get("type")
        if isinstance(kind, Expr) and "optional(" in kind.text:  # a cheap test first: most types have none
            return [self._typed(kind, value) for value in found]
        return found

    def _typed(self, kind: Expr, value: Any) -> Any:
        """`value` as Terraform converts it to the variable's type: each `optional()` attribute of an
        object it leaves out (or sets to null) takes its default, else null (Terraform 1.3+)."""
        try:
            tree = kind.tree
        except (HclExpressionError, RecursionError):
            return value
        try:
            return self._fill(tree, kind.text, value)
        except (_Error, _TooMany, RecursionError):
            return value

    def _fill(self, kind: Node, source: str, value: Any) -> Any:
        kind = _bare(kind)
        if not isinstance(kind, Call) or not kind.args:
            return value
        if kind.name in ("list", "set") and isinstance(value, list):
            return [self._fill(kind.args[0], source, v) for v in value]
        if kind.name == "map" and isinstance(value, dict):
            return {k: self._fill(kind.args[0], source, v) for k, v in value.items()}
        attributes = _bare(kind.args[0])
        if kind.name != "object" or not isinstance(attributes, Object) or not isinstance(value, dict):
            return value
        out = dict(value)
        for item in attributes.items:
            name = self._key(item.key, source, {})
            declared = _bare(item.value)
            if isinstance(declared, Call) and declared.name == "optional" and declared.args:
                if out.get(name) is None:
                    given = declared.args[1:2]
                    defaults = _bounded(self._eval(given[0], source, {})) if given else [None]
                    out[name] = defaults[0] if len(defaults) == 1 else Unknown("several possible defaults")
                declared = declared.args[0]
            if name in out and out[name] is not None:
                out[name] = self._fill(declared, source, out[name])
        return out

    def _variable(self, name: str, key: str, node: Any) -> list[Any]:
        """`var.name`'s values as given: each caller's argument, tfvars or the default (not converted to its type)."""
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
        try:
            sequences = syntax.parse_template(text)
        except (HclExpressionError, RecursionError):
            return [Unknown(f"`{_short(text)}` is not evaluated", template)]
        if any(isinstance(part, Directive) or (isinstance(part, Unparsed) and part.directive) for part in sequences):
            return [Unknown("a template directive (%{...}) is not evaluated", template)]
        parts: list[list[Any]] = []
        literal = ""
        for part in sequences:
            if isinstance(part, Text):
                literal += part.text
                continue
            if isinstance(part, Interpolation):
                inner = text[part.expr.span[0] : part.expr.span[1]]
            elif isinstance(part, Unparsed):
                inner = part.text  # its Expr is Unknown as `not evaluated`, as any text that is not an expression
            else:
                continue  # a directive: the template is Unknown above
            parts.append([_literal(literal, heredoc)])
            parts.append(self.values(Expr(inner), scope))
            literal = ""
        parts.append([_literal(literal, heredoc)])
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


# The method that evaluates each kind of node `_unread` lets through (`_bare` takes off Parens first).
_EVALUATE: dict[type, Callable[[Evaluator, Any, str, Scope], Iterator[Any]]] = {
    Literal: Evaluator._eval_literal,
    String: Evaluator._eval_string,
    Variable: Evaluator._eval_variable,
    GetAttr: Evaluator._get,
    Index: Evaluator._get,
    Tuple: Evaluator._eval_tuple,
    Object: Evaluator._eval_object,
    Call: Evaluator._eval_function,
    Conditional: Evaluator._eval_conditional,
    UnaryOp: Evaluator._eval_unary,
    BinaryOp: Evaluator._eval_binary,
}


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


def evaluator(module: Module, call: Any = None) -> Evaluator:
    """The module's evaluator (one per module, so its cache is shared by every rule); with `call` (a
    `module` block calling it), the one reading its variables as that call alone sets them."""
    key = "evaluator" if call is None else f"evaluator:{id(call)}"
    found = module.memo.get(key)
    if found is None:
        found = module.memo[key] = Evaluator(module, call)
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
