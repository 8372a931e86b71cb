"""Every value an example root passes is written as `terraform fmt` writes it, whatever its shape:
a property test over nested objects and lists (several service_instances, keys that are keywords
or need quotes), each checked by the real `terraform fmt`."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import terraform as tfenv

from tfgen.migrate.proton.examples import value_text

KEYS = st.one_of(
    st.sampled_from(["for", "in", "if", "name", "a b", "x-y", "__marker", "${x}", "port", "Z"]),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=8),
)
SCALARS = st.one_of(
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=10),
    st.none(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=3)),
    max_leaves=12,
)


@pytest.mark.terraform
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=VALUES)
def test_example_values_are_fmt_canonical(terraform_env: tfenv.TerraformEnv, tmp_path: Path, value: object) -> None:
    text = f'module "m" {{\n  source = "./m"\n\n  value = {value_text(value, 2)}\n}}\n'
    fmt = _fmt(terraform_env, tmp_path, text)
    assert fmt == text, (value, text, fmt)


def _fmt(terraform_env: tfenv.TerraformEnv, work: Path, text: str) -> str:
    path = work / "case.tf"
    path.write_text(text, encoding="utf-8")
    terraform_env.run(["fmt", "-no-color", str(path)], work)
    return path.read_text(encoding="utf-8")
