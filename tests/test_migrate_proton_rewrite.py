"""The rewriter edits expressions only: a property test over generated files mixing Proton
references with comments, string literals and heredocs that mention them as plain text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tfgen.hcl.quote import quote
from tfgen.hcl.read import parse_text
from tfgen.migrate.proton.rewrite import ENVIRONMENT, INSTANCE, RewriteError, rewrite

KEYS = ["vpc_cidr", "tier", "port"]
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
# Heredoc bodies: no template sequences and no line that could end the heredoc.
HEREDOC_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="$%{}"), max_size=30)
PROTONISH = st.sampled_from(["var.environment.inputs.tier", "var.environment.name", "var.service.name", ""])


@st.composite
def segment(draw: st.DrawFn, index: int) -> tuple[str, str]:
    """(input text, expected output text) of one top-level construct."""
    kind = draw(
        st.sampled_from(["ref", "index", "try", "interp", "lookup", "comment", "block_comment", "literal", "heredoc"])
    )
    key = draw(st.sampled_from(KEYS))
    noise = draw(TEXT) + draw(PROTONISH)
    name = f"a{index}"
    if kind == "ref":
        return f"  {name} = var.environment.inputs.{key}\n", f"  {name} = var.{key}\n"
    if kind == "index":  # a literal index is the same read as an attribute
        return f'  {name} = var.environment.inputs["{key}"]\n', f"  {name} = var.{key}\n"
    if kind == "try":
        index = draw(st.booleans())
        ref = f'var.environment.inputs["{key}"]' if index else f"var.environment.inputs.{key}"
        return (
            f"  {name} = try({ref}, {quote(noise)})\n",
            f"  {name} = (var.{key} == null ? {quote(noise)} : var.{key})\n",
        )
    if kind == "interp":
        lit = quote(noise)[1:-1]
        return (
            f'  {name} = "{lit}${{var.environment.name}}-${{var.environment.inputs.{key}}}"\n',
            f'  {name} = "{lit}${{var.environment_name}}-${{var.{key}}}"\n',
        )
    if kind == "lookup":
        return (
            f'  {name} = lookup(var.environment.inputs, "{key}", {quote(noise)})\n',
            f"  {name} = (var.{key} == null ? {quote(noise)} : var.{key})\n",
        )
    if kind == "comment":
        text = f"  # {noise}\n"
        return text, text
    if kind == "block_comment":
        text = f"  /* {noise.replace('*/', '')} */\n"
        return text, text
    if kind == "literal":
        text = f"  {name} = {quote(noise)}\n"
        return text, text
    body = draw(HEREDOC_TEXT) + draw(PROTONISH)
    return (
        f"  {name} = <<-EOT\n    {body} ${{var.environment.inputs.{key}}}\n  EOT\n",
        f"  {name} = <<-EOT\n    {body} ${{var.{key}}}\n  EOT\n",
    )


@st.composite
def files(draw: st.DrawFn) -> tuple[str, str]:
    n = draw(st.integers(min_value=1, max_value=8))
    parts = [draw(segment(i)) for i in range(n)]
    return "locals {\n" + "".join(p[0] for p in parts) + "}\n", "locals {\n" + "".join(p[1] for p in parts) + "}\n"


@settings(max_examples=60, deadline=None)
@given(files())
def test_only_expressions_change(case: tuple[str, str]) -> None:
    before, expected = case
    parse_text(before, "before.tf")  # the generated input is valid HCL
    result = rewrite(before, ENVIRONMENT, KEYS)
    assert result.text == expected
    after = parse_text(result.text, "after.tf")
    assert after.data["locals"]  # and so is the output


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("locals {\n  a = keys(var.environment.inputs)\n}\n", 2, "read as a whole"),
        ("locals {\n  a = lookup(var.environment.inputs, local.k, 1)\n}\n", 2, "only a literal input name"),
        ("locals {\n  a = var.environment.outputs.Vpc\n}\n", 2, "no plain-Terraform equivalent"),
        ('locals {\n  a = "unterminated\n}\n', 2, "unexpected 'end of file'"),  # python-hcl2's own message
    ],
)
def test_what_cannot_be_rewritten_is_an_error_with_its_line(text: str, line: int, message: str) -> None:
    with pytest.raises(RewriteError) as info:
        rewrite(text, ENVIRONMENT, KEYS)
    assert info.value.line == line and message in str(info.value)


def test_environment_outputs_in_a_service_collide_loudly() -> None:
    text = "locals {\n  a = var.environment.outputs.VpcId\n  b = var.environment.outputs.vpc_id\n}\n"
    with pytest.raises(RewriteError) as info:
        rewrite(text, INSTANCE, [])
    assert info.value.line == 3 and "would both become var.environment_vpc_id" in str(info.value)
