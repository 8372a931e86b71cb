"""A user value that becomes an HCL object key is quoted unless it is a plain, non-keyword identifier,
and init's parse-back proof rejects a key Terraform's grammar would not read as that name.

python-hcl2 reads `{ for = "x" }` as a map with the key "for"; Terraform reads `{ for` as the start
of a for expression and stops. So the proof cannot rely on python-hcl2 accepting the text, and these
tests ask Terraform itself (`terraform fmt`, tests/support/terraform_grammar.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import hcl2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import terraform_grammar
from support.hostile import HOSTILE_KEYS
from typer.testing import CliRunner

from tfgen.cli import app
from tfgen.errors import InternalError
from tfgen.hcl.quote import HCL_KEYWORDS, quote_key, to_hcl, unquote
from tfgen.init.config import build_config
from tfgen.init.render import render_baseline
from tfgen.init.verify import verify_rendered

ANSWERS = {"account_id": "123456789012", "region": "eu-west-1", "name": "acme"}
needs_terraform = pytest.mark.skipif(
    terraform_grammar.skip_reason() is not None, reason=terraform_grammar.skip_reason() or ""
)


def _init(out: Path, tags: dict[str, str], tmp_path: Path) -> tuple[int, str]:
    config = tmp_path / "answers.toml"
    config.write_text("[tags]\n" + "".join(f'"{k}" = "{v}"\n' for k, v in tags.items()), encoding="utf-8")
    args = ["init", "--non-interactive", "--skip-checkov", "--out", str(out), "--config", str(config)]
    for key, value in ANSWERS.items():
        args += ["--" + key.replace("_", "-"), value]
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@needs_terraform
@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_a_hostile_tag_key_renders_terraform_reads(tmp_path: Path, key: str) -> None:
    out = tmp_path / "out"
    code, output = _init(out, {key: "v"}, tmp_path)
    assert code == 0, output
    for name in ("variables.tf", "terraform.tfvars.example"):
        text = (out / name).read_text(encoding="utf-8")
        checked = terraform_grammar.parses(text)
        assert checked.returncode == 0, f"terraform rejects {name}:\n{checked.stderr}"
        assert checked.stdout == text  # and it is canonical `terraform fmt` output
        assert f"{quote_key(key)} = " in text


@pytest.mark.parametrize("key", sorted(HCL_KEYWORDS))
def test_keywords_are_quoted_keys(key: str) -> None:
    assert quote_key(key) == f'"{key}"'


@pytest.mark.parametrize("key", ["Team", "CostCenter", "cost_center", "a-b", "_x", "x9"])
def test_plain_identifiers_stay_bare_like_terraform_fmt_writes_them(key: str) -> None:
    assert quote_key(key) == key


def _bare_key_render(key: str) -> dict[str, str]:
    """A render whose tags default carries `key` bare (an older tfgen wrote every identifier-shaped key so)."""
    config = build_config(ANSWERS, {"tags": {key: "x"}})
    files = render_baseline(config)
    for name in ("variables.tf", "terraform.tfvars.example"):
        files[name], count = re.subn(rf'^(\s*)(?:"{key}"|{key}) = "x"$', rf'\1{key} = "x"', files[name], flags=re.M)
        assert count == 1
    return files


@pytest.mark.parametrize("key", ["for", "in", "null", "endfor"])
def test_the_proof_rejects_a_bare_keyword_key(key: str) -> None:
    files = _bare_key_render(key)
    config = build_config(ANSWERS, {"tags": {key: "x"}})
    with pytest.raises(InternalError, match=rf"object key {key} is an HCL keyword"):
        verify_rendered(files, config)


@needs_terraform
def test_terraform_rejects_what_the_proof_rejects() -> None:
    # The proof's rule is stricter than Terraform's (it refuses every bare keyword key), never looser:
    # the one Terraform stops on, `{ for = ... }`, is among them.
    files = _bare_key_render("for")
    assert terraform_grammar.parses(files["variables.tf"]).returncode != 0
    assert terraform_grammar.parses(files["terraform.tfvars.example"]).returncode != 0


def test_the_proof_rejects_a_template_in_an_object_key() -> None:
    config = build_config(ANSWERS, {"tags": {"Team": "x"}})
    files = render_baseline(config)
    files["variables.tf"] = files["variables.tf"].replace('Team = "x"', '"${var.name}" = "x"', 1)
    with pytest.raises(InternalError, match="template"):
        verify_rendered(files, config)


# Any text as a map key: python-hcl2 reads back exactly the key, and Terraform parses the map.
_keys = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12),
    st.sampled_from([*HOSTILE_KEYS, "${x}", "%{if}", "$${", '"', "\\", "\n", "a\u0301", "\u2028"]),
)


@needs_terraform
@settings(max_examples=8, deadline=None)
@given(st.lists(st.dictionaries(_keys, st.just("v"), min_size=1, max_size=6), min_size=10, max_size=10))
def test_any_key_is_read_back_by_python_hcl2_and_parsed_by_terraform(
    tmp_path_factory: pytest.TempPathFactory, maps: list[dict[str, str]]
) -> None:
    batch = tmp_path_factory.mktemp("keys")
    for i, mapping in enumerate(maps):
        text = f"tags = {to_hcl(mapping)}\n"
        parsed = hcl2.loads(text)["tags"]
        assert {unquote(k) if k.startswith('"') else k: unquote(v) for k, v in parsed.items()} == mapping
        (batch / f"m{i}.tfvars").write_text(text, encoding="utf-8")
    checked = terraform_grammar.check_tree(batch)
    # Exit 3 is "parses but not canonical": alignment of non-ASCII keys may differ (tfgen's tag keys are
    # ASCII, see test_init_inputs.py); the grammar is what this test is about.
    assert checked.returncode in (0, 3), checked.stderr
