"""The static evaluator every rule reads values through (tfgen/validate/evaluate.py).

Terraform itself is the oracle of the property test: any nesting of conditionals, comparisons,
`!`/`&&`/`||`, templates and locals over literals, variables, terraform.tfvars and *.auto.tfvars
evaluates to what `terraform console` computes for the same directory.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import terraform_grammar
from support.validate import module_from

from tfgen.hcl.quote import quote
from tfgen.hcl.values import Expr, Template
from tfgen.validate.evaluate import MAX_ALTERNATIVES, Unknown
from tfgen.validate.module import Module, link_calls


def _module(files: dict[str, str], directory: Path = Path("/virtual/module")) -> Module:
    return module_from(files, directory)


def _values(module: Module, text: str) -> list[Any]:
    return module.values(Expr(text))


def test_tfvars_override_defaults_in_terraform_s_order_and_other_var_files_are_not_read() -> None:
    files = {
        "main.tf": 'variable "a" {\n  default = "default"\n}\nvariable "b" {\n  default = "default"\n}\n'
        'variable "c" {\n  default = "default"\n}\nvariable "d" {\n  default = "default"\n}\n',
        "terraform.tfvars": 'a = "tfvars"\nb = "tfvars"\nc = "tfvars"\n',
        "terraform.tfvars.json": '{"b": "tfvars.json", "c": "tfvars.json"}',
        "b.auto.tfvars": 'c = "b.auto"\n',
        "a.auto.tfvars": 'c = "a.auto"\n',
        "prod.tfvars": 'd = "prod"\n',  # only with -var-file: tfgen cannot know it is used
    }
    module = _module(files)
    assert [_values(module, f"var.{name}") for name in "abcd"] == [["tfvars"], ["tfvars.json"], ["b.auto"], ["default"]]


def test_a_called_module_s_variable_takes_each_caller_s_argument_else_its_default() -> None:
    caller = _module(
        {"main.tf": 'module "one" {\n  source = "./m"\n  x = "one"\n}\nmodule "two" {\n  source = "./m"\n}\n'},
        Path("/virtual/root"),
    )
    called = _module(
        {
            "main.tf": 'variable "x" {\n  default = "default"\n}\n',
            "terraform.tfvars": 'x = "ignored in a called module"\n',
        },
        Path("/virtual/root/m"),
    )
    link_calls({"root": caller, "m": called})
    assert _values(called, "var.x") == ["one", "default"]
    assert _values(called, 'var.x == "one" ? "first" : "second"') == ["first", "second"]


def test_what_cannot_be_known_is_unknown_with_the_reason() -> None:
    module = _module(
        {
            "main.tf": 'variable "toggle" {\n  type = bool\n}\nlocals {\n  arn = '
            '"arn:${data.aws_partition.current.partition}:s3:::b"\n}\n'
        }
    )
    [toggle] = _values(module, 'var.toggle ? "a" : "b"')
    assert isinstance(toggle, Unknown) and "var.toggle has no default" in toggle.reason
    [arn] = _values(module, "local.arn")
    assert isinstance(arn, Unknown) and arn.after_apply and arn.masked == "arn:\0:s3:::b"
    assert arn.expr == Template("arn:${data.aws_partition.current.partition}:s3:::b")
    [call] = _values(module, 'upper("a")')
    assert isinstance(call, Unknown) and "upper() is not evaluated" in call.reason
    [wrong] = _values(module, 'length("a", "b")')  # Terraform rejects it; tfgen must not crash on it
    assert isinstance(wrong, Unknown) and "length()" in wrong.reason
    [loop] = _values(module, "[for x in [1] : x]")
    assert isinstance(loop, Unknown) and "is not evaluated" in loop.reason


def _toggled_by_two_callers(toggles: int) -> Module:
    """A module whose callers set each of its `toggles` boolean variables both ways."""
    calls = [
        f'module "{name}" {{\n  source = "./m"\n' + "".join(f"  t{i} = {value}\n" for i in range(toggles)) + "}\n"
        for name, value in (("on", "true"), ("off", "false"))
    ]
    caller = _module({"main.tf": "\n".join(calls)}, Path("/virtual/root"))
    called = _module(
        {"main.tf": "".join(f'variable "t{i}" {{\n  type = bool\n}}\n' for i in range(toggles))},
        Path("/virtual/root/m"),
    )
    link_calls({"root": caller, "m": called})
    return called


def test_a_function_over_many_toggles_is_unknown_not_an_exhausted_machine() -> None:
    """A real module's `coalesce(var.name, var.a ? "A" : null, ...)` over ~20 toggles set both ways
    by its callers: the evaluator bounds the combinations it tries (MAX_COMBINATIONS), where trying
    them all takes tfgen past 10 GB (docs/accuracy.md; unbounded, this test dies of MemoryError
    under `ulimit -v 2000000`)."""
    many = _toggled_by_two_callers(40)  # 2^40 combinations of coalesce()'s arguments
    coalesce = "coalesce(" + ", ".join(f'var.t{i} ? "T{i}" : null' for i in range(40)) + ', "none")'
    [value] = _values(many, coalesce)
    assert isinstance(value, Unknown) and value.reason == "too many possible values"
    few = _toggled_by_two_callers(3)  # 8 combinations: still every value
    assert sorted(
        _values(few, 'coalesce(var.t0 ? "T0" : null, var.t1 ? "T1" : null, var.t2 ? "T2" : null, "none")')
    ) == ["T0", "T1", "T2", "none"]


def _called_four_ways(values: tuple[str, ...] = ("a", "b", "c", "d")) -> Module:
    """A module whose `var.v` four callers set to four different strings."""
    calls = [f'module "c{i}" {{\n  source = "./m"\n  v = "{value}"\n}}\n' for i, value in enumerate(values)]
    caller = _module({"main.tf": "\n".join(calls)}, Path("/virtual/root"))
    called = _module({"main.tf": 'variable "v" {\n  type = string\n}\n'}, Path("/virtual/root/m"))
    link_calls({"root": caller, "m": called})
    return called


def test_a_template_with_an_unknown_part_is_bounded_like_any_other() -> None:
    """`"${aws_kms_key.k.arn}${var.v}...${var.v}"` in a module called four ways has at most
    MAX_ALTERNATIVES values, as when every part is known: the whole product of its parts (4^n,
    compared pairwise) takes 3 s at n=6 and does not finish in 120 s at n=8."""
    module = _called_four_ways()
    values = module.values(Template("${aws_kms_key.k.arn}" + "${var.v}" * 5))  # 4^5 products unbounded
    assert len(values) <= MAX_ALTERNATIVES
    assert all(isinstance(v, Unknown) for v in values)
    [few] = module.values(Template("${aws_kms_key.k.arn}"))  # one unknown part alone: still itself
    assert isinstance(few, Unknown) and few.after_apply


def test_format_reads_s_d_v_and_percent_and_no_other_verb() -> None:
    module = _module({"main.tf": 'variable "partition" {\n  default = "aws-us-gov"\n}\n'})
    assert _values(module, 'format("arn:%s:iam::aws:policy/%s", var.partition, "IAMFullAccess")') == [
        "arn:aws-us-gov:iam::aws:policy/IAMFullAccess"
    ]
    assert _values(module, 'format("%d%% of %v", 5, true)') == ["5% of true"]
    [unknown] = _values(module, 'format("%05d", 5)')
    assert isinstance(unknown, Unknown) and "%0" in unknown.reason
    [missing] = _values(module, 'format("%s-%s", "a")')
    assert isinstance(missing, Unknown) and "too few arguments" in missing.reason


def test_base64encode_encodes_the_utf8_text() -> None:
    """What user data given through base64encode() holds (`terraform console`: "w6lYIDE=", "dHJ1ZQ==")."""
    module = _module({"main.tf": 'variable "n" {\n  default = 1\n}\n'})
    assert _values(module, 'base64encode("\u00e9X ${var.n}")') == ["w6lYIDE="]
    assert _values(module, "base64encode(true)") == ["dHJ1ZQ=="]


def test_a_local_that_refers_to_itself_is_unknown_not_a_crash() -> None:
    module = _module({"main.tf": "locals {\n  a = local.b\n  b = local.a\n}\n"})
    [value] = _values(module, "local.a")
    assert isinstance(value, Unknown) and "refers to itself" in value.reason


def test_resolve_keeps_what_it_cannot_evaluate_as_written() -> None:
    """Rules that read references (a bucket named by `aws_s3_bucket.x.id`) still see them."""
    module = _module(
        {
            "main.tf": 'locals {\n  bucket = aws_s3_bucket.logs.id\n  name = "logs-${var.env}"\n}\n'
            'variable "env" {\n  default = "prod"\n}\n'
        }
    )
    assert module.resolve(Expr("local.bucket")) == Expr("aws_s3_bucket.logs.id")
    assert module.resolve(Expr("local.name")) == "logs-prod"
    assert module.resolve({"a": Expr("var.env"), "b": Expr("aws_s3_bucket.logs.arn")}) == {
        "a": "prod",
        "b": Expr("aws_s3_bucket.logs.arn"),
    }


# --- the property: what Terraform computes --------------------------------------------------------

_TEXT = st.text(alphabet='abcXYZ019 -_./:"\\', max_size=6)
VARIABLES = {"b0": "bool", "b1": "bool", "s0": "string", "s1": "string", "n0": "number"}


def _literal(kind: str, value: Any) -> str:
    return {"bool": lambda v: "true" if v else "false", "string": quote, "number": str}[kind](value)


def _values_of(kind: str) -> st.SearchStrategy[Any]:
    return {"bool": st.booleans(), "string": _TEXT, "number": st.integers(-20, 20)}[kind]


@st.composite
def _expression(draw: st.DrawFn, kind: str, names: dict[str, str], depth: int) -> str:
    """An HCL expression of type `kind` over literals, variables and the locals already defined."""
    leaves = [
        _values_of(kind).map(lambda v: _literal(kind, v)),
        st.sampled_from([f"var.{n}" for n, k in VARIABLES.items() if k == kind]),
    ]
    known = [f"local.{n}" for n, k in names.items() if k == kind]
    if known:
        leaves.append(st.sampled_from(known))
    if depth <= 0 or draw(st.integers(0, 2)) == 0:
        return draw(st.one_of(leaves))
    sub = lambda k: _expression(k, names, depth - 1)  # noqa: E731
    cond = draw(sub("bool"))
    if kind == "bool":
        shape = draw(st.sampled_from(["!", "&&", "||", "==", "!=", "?"]))
        if shape == "!":
            return f"!({draw(sub('bool'))})"
        if shape in ("&&", "||"):
            return f"({draw(sub('bool'))}) {shape} ({draw(sub('bool'))})"
        if shape in ("==", "!="):
            compared = draw(st.sampled_from(["string", "number", "bool"]))
            return f"({draw(sub(compared))}) {shape} ({draw(sub(compared))})"
    if kind == "string" and draw(st.integers(0, 3)) == 0:
        before, after = (quote(draw(_TEXT))[1:-1] for _ in range(2))
        return f'format("{before}%s{after}%d%%%v", {draw(sub("string"))}, {draw(sub("number"))}, {draw(sub("bool"))})'
    if kind == "string" and draw(st.integers(0, 4)) == 0:
        return f"base64encode({draw(sub('string'))})"
    if kind == "string" and draw(st.booleans()):
        parts = draw(st.lists(st.tuples(_TEXT, st.sampled_from(["string", "number", "bool"])), min_size=1, max_size=3))
        inner = "".join(quote(text)[1:-1] + "${" + draw(sub(part)) + "}" for text, part in parts)
        return f'"{inner}"'
    return f"({cond}) ? ({draw(sub(kind))}) : ({draw(sub(kind))})"


@st.composite
def _tree(draw: st.DrawFn) -> tuple[dict[str, str], list[str]]:
    """A module's files: variables with defaults, tfvars over some of them, and locals."""
    lines = []
    for name, kind in VARIABLES.items():
        lines.append(
            f'variable "{name}" {{\n  type    = {kind}\n  default = {_literal(kind, draw(_values_of(kind)))}\n}}\n'
        )
    files = {"main.tf": "".join(lines)}
    for tfvars in ("terraform.tfvars", "z.auto.tfvars"):
        chosen = draw(st.lists(st.sampled_from(sorted(VARIABLES)), unique=True, max_size=3))
        files[tfvars] = "".join(f"{n} = {_literal(VARIABLES[n], draw(_values_of(VARIABLES[n])))}\n" for n in chosen)
    names: dict[str, str] = {}
    body = []
    for index in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["bool", "string", "number"]))
        body.append(f"  l{index} = {draw(_expression(kind, dict(names), 3))}\n")
        names[f"l{index}"] = kind
    files["main.tf"] += "locals {\n" + "".join(body) + "}\n"
    return files, list(names)


@pytest.mark.skipif(terraform_grammar.skip_reason() is not None, reason=terraform_grammar.skip_reason() or "")
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(tree=_tree())
def test_the_evaluator_computes_what_terraform_console_computes(
    tree: tuple[dict[str, str], list[str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    files, names = tree
    directory = tmp_path_factory.mktemp("evaluate")
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    expected = terraform_grammar.evaluate(directory, "[" + ", ".join(f"local.{n}" for n in names) + "]")
    module = _module(files, directory)
    got = [module.values(module.locals[n][1]) for n in names]
    assert got == [[value] for value in expected], json.dumps(files, indent=1)


_TOKENS = st.sampled_from(
    [
        "var.a",
        "local.b",
        "x.y",
        "aws_s3_bucket.b.arn",
        '"s"',
        '"${var.a}"',
        "1",
        "true",
        "null",
        "?",
        ":",
        "==",
        "!=",
        "!",
        "&&",
        "||",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "=",
        ",",
        ".",
        "*",
        "try(",
        "lookup(",
        "length(",
        "flatten(",
        "keys(",
        "for",
        "in",
        "%{",
        "<",
        "-",
        "...",
    ]
)


@settings(max_examples=200, deadline=None)
@given(tokens=st.lists(_TOKENS, max_size=12))
def test_any_expression_text_is_a_value_or_unknown_never_an_exception(tokens: list[str]) -> None:
    """Real-world Terraform holds every shape: the evaluator answers each with values or Unknown."""
    module = _module({"main.tf": 'variable "a" {\n  default = {k = [1, "x"]}\n}\nlocals {\n  b = var.a\n}\n'})
    values = module.values(Expr(" ".join(tokens)))
    assert values and all(v is None or isinstance(v, (Unknown, str, int, float, bool, list, dict)) for v in values)


# --- optional() object attributes: Terraform fills what a value leaves out ---------------------------

_ATTRIBUTE_NAMES = st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), min_size=1, max_size=3, unique=True)


@st.composite
def _object_type(draw: st.DrawFn, depth: int) -> tuple[str, dict[str, Any]]:
    """An `object({...})` type and, for each attribute, (optional, default text or None, sub-type)."""
    attributes: dict[str, Any] = {}
    parts = []
    for name in draw(_ATTRIBUTE_NAMES):
        kind = draw(st.sampled_from(["string", "number", "object"] if depth > 0 else ["string", "number"]))
        sub = draw(_object_type(depth - 1)) if kind == "object" else None
        text = sub[0] if sub else kind
        optional = draw(st.booleans())
        default = None
        empty_allowed = sub is None or all(a[0] for a in sub[1].values())  # `{}` leaves out only optional ones
        if optional and empty_allowed and draw(st.booleans()):
            default = {"string": '"dflt"', "number": "7", "object": "{}"}[kind]
        attributes[name] = (optional, default, kind, sub)
        if optional:
            text = f"optional({text}{', ' + default if default else ''})"
        parts.append(f"{name} = {text}")
    return "object({" + ", ".join(parts) + "})", attributes


@st.composite
def _object_value(draw: st.DrawFn, attributes: dict[str, Any]) -> str:
    """A value of the type: every required attribute, each optional one or not."""
    items = []
    for name, (optional, _, kind, sub) in attributes.items():
        if optional and draw(st.booleans()):
            continue
        value = draw(_object_value(sub[1])) if kind == "object" else ('"given"' if kind == "string" else "1")
        items.append(f"{name} = {value}")
    return "{ " + ", ".join(items) + " }"


@pytest.mark.skipif(terraform_grammar.skip_reason() is not None, reason=terraform_grammar.skip_reason() or "")
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_optional_attributes_take_their_default_or_null_as_terraform_console_computes(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    kind, attributes = data.draw(_object_type(2))
    default, given = data.draw(_object_value(attributes)), data.draw(st.one_of(st.none(), _object_value(attributes)))
    files = {"main.tf": f'variable "v" {{\n  type    = {kind}\n  default = {default}\n}}\n'}
    if given is not None:
        files["terraform.tfvars"] = f"v = {given}\n"
    directory = tmp_path_factory.mktemp("optional")
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    assert _values(_module(files, directory), "var.v") == [terraform_grammar.evaluate(directory, "var.v")], files


def test_an_optional_attribute_left_out_reads_as_null_not_a_missing_key() -> None:
    # terraform-aws-modules/terraform-aws-atlantis: `var.cluster.cloudwatch_log_group_kms_key_id`
    files = {
        "main.tf": 'variable "cluster" {\n  type = object({\n    name       = string\n'
        "    kms_key_id = optional(string)\n    settings   = optional(list(object({ name = string, value = "
        'optional(string, "enabled") })), [])\n  })\n'
        '  default = { name = "c", settings = [{ name = "insights" }] }\n}\n'
    }
    module = _module(files)
    assert _values(module, "var.cluster.kms_key_id") == [None]
    assert _values(module, "var.cluster.settings[0].value") == ["enabled"]
