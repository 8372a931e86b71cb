"""tfgen.hcl.syntax: every expression python-hcl2 accepts becomes a typed tree whose spans slice
back to the text each node was written as; templates split into parts that tile their text."""

from __future__ import annotations

import dataclasses
from typing import Any

import hcl2
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tfgen.hcl import syntax
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
    Object,
    ObjectItem,
    Parens,
    Splat,
    String,
    Text,
    Tuple,
    Variable,
)


def test_each_kind_of_expression_is_its_node() -> None:
    tree = syntax.parse_expression('var.on ? "x-${local.a[0]}" : data.aws_partition.current.partition')
    assert isinstance(tree, Conditional)
    assert tree.condition == GetAttr((0, 6), Variable((0, 3), "var"), "on")
    assert isinstance(tree.true, String) and [type(p) for p in tree.true.parts] == [Text, Interpolation]
    assert isinstance(tree.false, GetAttr) and tree.false.name == "partition"
    call = syntax.parse_expression("provider::aws::arn_parse(var.a, [1, -2.5]...)")
    assert isinstance(call, Call) and (call.name, call.namespace, call.expand) == ("arn_parse", "provider::aws", True)
    assert isinstance(call.args[1], Tuple) and call.args[1].items[1] == Literal(
        (36, 40), -2.5
    )  # python-hcl2 lexes `-2.5` as one number
    obj = syntax.parse_expression('{ a = 1, "b": true, (var.k) = null, in = 2 }')
    assert isinstance(obj, Object) and [type(item.key).__name__ for item in obj.items] == [
        "Variable",
        "String",
        "Parens",
        "Variable",
    ]
    assert [item.value for item in obj.items][:3] == [
        Literal((6, 7), 1),
        Literal((14, 18), True),
        Literal((30, 34), None),
    ]
    assert isinstance(syntax.parse_expression("[for k, v in m : v if k]"), ForTuple)
    grouped = syntax.parse_expression("{for v in m : v.k => v...}")
    assert isinstance(grouped, ForObject) and grouped.grouping and grouped.key is None
    splat = syntax.parse_expression("aws_instance.a[*].id")
    assert isinstance(splat, Splat) and splat.full and [type(s) for s in splat.steps] == [GetAttr]
    assert isinstance(syntax.parse_expression("a.0"), Index)
    arithmetic = syntax.parse_expression("1 + 2 * 3 == 7 && !b")
    assert isinstance(arithmetic, BinaryOp) and arithmetic.op == "&&"


@pytest.mark.parametrize("text", ["a /* why */ + 1", "(a\n  + 1)", "a # why\n  + 1"])
def test_an_operator_is_itself_whatever_comment_or_newline_comes_before_it(text: str) -> None:
    tree = syntax.parse_expression(text)
    if isinstance(tree, Parens):
        tree = tree.expr
    assert isinstance(tree, BinaryOp) and tree.op == "+"


def test_a_heredoc_s_interpolations_are_read_by_the_grammar() -> None:
    text = '<<EOT\n{"Resource": "${lookup(m, "}")}", "If": "%{ if a }x%{ endif }"}\nEOT\n'
    tree = syntax.parse_expression(text)
    assert isinstance(tree, String) and tree.heredoc
    interpolation = next(p for p in tree.parts if isinstance(p, Interpolation))
    assert text[interpolation.expr.span[0] : interpolation.expr.span[1]] == 'lookup(m, "}")'
    assert [p.keyword for p in tree.parts if isinstance(p, Directive)] == ["if", "endif"]


def test_a_template_s_parts_keep_escapes_as_literal_text() -> None:
    parts = syntax.parse_template("arn:$${x}:${ ~var.a~ }%%{y}")
    assert [type(p) for p in parts] == [Text, Interpolation, Text]
    assert parts[0] == Text((0, 10), "arn:$${x}:") and parts[2] == Text((22, 27), "%%{y}")
    assert isinstance(parts[1], Interpolation) and parts[1].strip == (True, True)


@pytest.mark.parametrize("text", ["", "a b", "a)\ny = (b", "{", "var.", "${a}"])
def test_what_is_not_one_expression_is_an_error(text: str) -> None:
    with pytest.raises(HclExpressionError):
        syntax.parse_expression(text)


def test_an_unclosed_interpolation_is_an_error() -> None:
    with pytest.raises(HclExpressionError):
        syntax.parse_template("a ${var.b")


# --- the property: python-hcl2's expressions, and their spans -------------------------------------

_NAMES = st.sampled_from(["a", "var", "local", "each", "aws_s3_bucket", "x-y", "_z"])
_STRING_TEXT = st.text(alphabet='ab :/*-$%{}"\\', max_size=6)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("${", "$${").replace("%{", "%%{") + '"'


@st.composite
def _expressions(draw: st.DrawFn, depth: int = 3) -> str:
    leaves = st.one_of(
        st.integers(-50, 10**6).map(str),
        st.floats(0, 100, allow_nan=False).map(lambda f: f"{f:.3f}"),
        st.sampled_from(["true", "false", "null"]),
        _NAMES,
        _STRING_TEXT.map(_quoted),
    )
    if depth <= 0 or draw(st.integers(0, 3)) == 0:
        return draw(leaves)
    sub = _expressions(depth - 1)
    shape = draw(
        st.sampled_from(
            ["attr", "index", "call", "cond", "binary", "unary", "tuple", "object", "template", "for", "splat", "paren"]
        )
    )
    if shape == "attr":
        return f"{draw(sub)}.{draw(_NAMES)}"
    if shape == "index":
        return f"{draw(sub)}[{draw(sub)}]"
    if shape == "call":
        args = draw(st.lists(sub, max_size=3))
        return f"{draw(_NAMES)}({', '.join(args)}{draw(st.sampled_from(['', '...'])) if args else ''})"
    if shape == "cond":
        return f"{draw(sub)} ? {draw(sub)} : {draw(sub)}"
    if shape == "binary":
        op = draw(st.sampled_from(["||", "&&", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%"]))
        return f"{draw(sub)} {op} {draw(sub)}"
    if shape == "unary":
        return f"{draw(st.sampled_from(['!', '-']))}{draw(sub)}"
    if shape == "tuple":
        return "[" + ", ".join(draw(st.lists(sub, max_size=3))) + "]"
    if shape == "object":
        items = draw(st.lists(st.tuples(st.one_of(_NAMES, _STRING_TEXT.map(_quoted)), sub), max_size=3))
        separator = draw(st.sampled_from([", ", "\n"]))
        return "{" + separator.join(f"{k} = {v}" for k, v in items) + "}"
    if shape == "template":
        parts = draw(st.lists(st.tuples(_STRING_TEXT, sub), min_size=1, max_size=3))
        return '"' + "".join(_quoted(text)[1:-1] + "${" + inner + "}" for text, inner in parts) + '"'
    if shape == "for":
        if draw(st.booleans()):
            return f"[for k, v in {draw(sub)} : {draw(sub)} if {draw(sub)}]"
        return f"{{for v in {draw(sub)} : {draw(sub)} => {draw(sub)}}}"
    if shape == "splat":
        return f"{draw(sub)}{draw(st.sampled_from(['.*', '[*]']))}.{draw(_NAMES)}"
    return f"({draw(sub)})"


def _accepted(text: str) -> bool:
    try:
        hcl2.parses_to_tree(f"x = {text}\n")
    except Exception:
        return False
    return True


def _shape(node: Any) -> Any:
    """A node as nested tuples without its spans: what two parses of one text must agree on."""
    if dataclasses.is_dataclass(node):
        return (type(node).__name__,) + tuple(
            _shape(getattr(node, f.name)) for f in dataclasses.fields(node) if f.name != "span"
        )
    if isinstance(node, tuple):
        return tuple(_shape(item) for item in node)
    return node


def _sub_expressions(tree: Any) -> list[Any]:
    """Every node inside `tree` that is an expression written on its own (not a part, a key or a splat step)."""
    out: list[Any] = []
    for node in syntax.walk(tree):
        if isinstance(node, (Text, Interpolation, Directive, ObjectItem)):
            continue
        if isinstance(node, Splat):
            out.append(node.target)
        out.append(node)
    keys = {id(n.key) for n in syntax.walk(tree) if isinstance(n, ObjectItem)}
    steps = {id(s) for n in syntax.walk(tree) if isinstance(n, Splat) for step in n.steps for s in syntax.walk(step)}
    return [n for n in out if id(n) not in keys and id(n) not in steps]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(text=_expressions())
def test_every_expression_python_hcl2_accepts_has_a_tree_whose_spans_slice_back(text: str) -> None:
    assume(_accepted(text))
    syntax.clear_memo()
    tree = syntax.parse_expression(text)
    assert text[tree.span[0] : tree.span[1]] == text.strip()
    parts = [(text[node.span[0] : node.span[1]], node) for node in _sub_expressions(tree)]
    # a part of a tree parsed already is read from that tree (its node moved to offset 0) ...
    read_again = {written: syntax.parse_expression(written) for written, _ in parts}
    for written, node in parts:
        assert _shape(read_again[written]) == _shape(node), written
    # ... and is the tree a parse of its text on its own gives, spans and all
    syntax.clear_memo()
    for written, _ in parts:
        assert syntax.parse_expression(written) == read_again[written], written
    for node in syntax.walk(tree):  # children in source order, each inside its parent
        spans = [child.span for child in syntax.children(node)]
        assert spans == sorted(spans), text
        assert all(node.span[0] <= a and b <= node.span[1] for a, b in spans), text


@settings(max_examples=100, deadline=None)
@given(parts=st.lists(st.tuples(st.text(alphabet='ab $%{}"\n', max_size=5), _expressions(1)), max_size=3))
def test_a_template_s_parts_tile_its_text(parts: list[tuple[str, str]]) -> None:
    # literal text escapes its sequences, and a `$` just before `${` would escape it (`$${`)
    literals = [literal.replace("${", "$${").replace("%{", "%%{").rstrip("$") for literal, _ in parts]
    text = "".join(literal + "${" + inner + "}" for literal, (_, inner) in zip(literals, parts, strict=True))
    assume(all(_accepted(inner) for _, inner in parts))
    found = syntax.parse_template(text)
    assert "".join(text[p.span[0] : p.span[1]] for p in found) == text
    assert [p.span for p in found] == sorted(p.span for p in found)
    interpolations = [p for p in found if isinstance(p, Interpolation)]
    assert [_shape(p.expr) for p in interpolations] == [_shape(syntax.parse_expression(i)) for _, i in parts]


@pytest.mark.parametrize(("text", "not_alone"), [("x[*].a", ".a"), ("x.*.b", ".b"), ("y[*].c[0]", ".c[0]")])
def test_a_splat_step_is_no_expression_of_its_own_after_its_tree_is_read(text: str, not_alone: str) -> None:
    syntax.parse_expression(text)
    with pytest.raises(HclExpressionError):
        syntax.parse_expression(not_alone)


def test_an_unreadable_sequence_costs_a_bounded_number_of_parses(monkeypatch: pytest.MonkeyPatch) -> None:
    # A hostile heredoc: each `${...}` python-hcl2 cannot read once cost up to 66 parses, one of the
    # whole rest of the text (1,000 of them: 15 s for one file). Without a `{`, a quote, a heredoc or
    # a comment before its first `}`, nothing later can close it: it is Unparsed at once.
    calls = 0
    real = hcl2.parses_to_tree

    def counting(text: str) -> Any:
        nonlocal calls
        calls += 1
        return real(text)

    monkeypatch.setattr(syntax.hcl2, "parses_to_tree", counting)
    text = "".join(f"line ${{a{i} b{i}}} and ${{ {{ c{i} d }}\n" for i in range(300))
    parts = syntax.parse_template(text)
    assert sum(isinstance(p, syntax.Unparsed) for p in parts) == 600
    # One parse per sequence at its first `}`, and the bounded searches.
    assert calls <= 600 + syntax.MAX_SLOW_PARSES_PER_TEMPLATE * (2 + syntax.MAX_CLOSE_CANDIDATES), calls
