"""Every user value reaches HCL through one quoting filter; python-hcl2 must read back exactly it."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import hcl2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import terraform_grammar

from tfgen.hcl.quote import quote, to_hcl, unquote

# Surrogates cannot be encoded as UTF-8 text, so no file can carry them.
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)
tricky = st.lists(
    st.sampled_from(
        ['"', "\\", "${", "%{", "$${", "%%{", "$", "%", "{", "}", "\n", "\r", "\t", "é", "😀", "\x00", "\x7f", "a", " "]
    ),
    max_size=20,
).map("".join)


def _read_back(literal: str) -> str:
    parsed = hcl2.loads(f"value = {literal}\n")
    return unquote(parsed["value"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(text, tricky))
def test_python_hcl2_reads_back_exactly_the_input(value: str) -> None:
    assert _read_back(quote(value)) == value


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        ("plain", '"plain"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("${var.secret}", '"$${var.secret}"'),
        ("%{ if true }x%{ endif }", '"%%{ if true }x%%{ endif }"'),
        ("line\nbreak", '"line\\nbreak"'),
        ("back\\slash", '"back\\\\slash"'),
        ("cost: $5 and 50%", '"cost: $5 and 50%"'),
    ],
)
def test_template_sequences_and_escapes_are_neutralised(value: str, literal: str) -> None:
    assert quote(value) == literal


def test_collections_render_sorted_and_aligned_like_terraform_fmt() -> None:
    rendered = to_hcl({"b": ["x", "y"], "ManagedBy": "tfgen", "with space": True, "n": 3})
    assert (
        rendered
        == '{\n  ManagedBy    = "tfgen"\n  b            = ["x", "y"]\n  n            = 3\n  "with space" = true\n}'
    )
    parsed = hcl2.loads(f"tags = {rendered}\n")["tags"]
    assert unquote(parsed["ManagedBy"]) == "tfgen"


def test_python_values_never_leak_as_repr() -> None:
    with pytest.raises(TypeError):
        to_hcl(object())
    assert to_hcl(None) == "null"
    assert to_hcl(False) == "false"


def test_unquote_rejects_interpolation() -> None:
    with pytest.raises(ValueError):
        unquote('"${var.x}"')


# --- Terraform's reading (not only python-hcl2's) -------------------------------------------------

_needs_terraform = pytest.mark.skipif(
    terraform_grammar.skip_reason() is not None, reason=terraform_grammar.skip_reason() or ""
)
_nfc_text = st.one_of(text, tricky).filter(lambda v: unicodedata.is_normalized("NFC", v))


@_needs_terraform
@settings(max_examples=10, deadline=None)
@given(st.lists(_nfc_text, min_size=20, max_size=20), st.lists(_nfc_text, min_size=1, max_size=6))
def test_terraform_reads_back_exactly_every_quoted_value_and_key(
    tmp_path_factory: pytest.TempPathFactory, values: list[str], keys: list[str]
) -> None:
    module = tmp_path_factory.mktemp("quoted")
    mapping = {
        key: value for key, value in zip(keys, values, strict=False)
    }  # up to 6 keys: each takes one of the 20 values
    body = "".join(f"  v{i} = {quote(value)}\n" for i, value in enumerate(values)) + f"  m = {to_hcl(mapping, 2)}\n"
    (module / "locals.tf").write_text(f"locals {{\n{body}}}\n", encoding="utf-8")
    read = terraform_grammar.evaluate(
        module, "[[" + ", ".join(f"local.v{i}" for i in range(len(values))) + "], local.m]"
    )
    assert read == [values, mapping]


@_needs_terraform
def test_terraform_reads_strings_in_nfc_which_is_why_answers_must_be_nfc(tmp_path: Path) -> None:
    (tmp_path / "locals.tf").write_text(f"locals {{\n  v = {quote('cafe' + chr(0x301))}\n}}\n", encoding="utf-8")
    assert terraform_grammar.evaluate(tmp_path, "local.v") == "caf\u00e9"
