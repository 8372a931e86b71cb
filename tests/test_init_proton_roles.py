"""AWS Proton is past end of support: new baselines create no Proton pipeline or CodeBuild role;
`--proton-roles` (or the `create_*_role` keys) keeps them for estates that still reference them,
and a re-run keeps what the manifest's saved answers say."""

from __future__ import annotations

import json
from pathlib import Path

import hcl2
import pytest
from support.init_tree import MANIFEST, init

ROLE_KEYS = ("create_pipeline_role", "create_codebuild_role", "create_component_role")


def _defaults(path: Path) -> dict[str, object]:
    """Each variable's default in a rendered variables.tf."""
    blocks = hcl2.loads(path.read_text())["variable"]
    return {name.strip('"'): body.get("default") for block in blocks for name, body in block.items()}


def _roles(out: Path) -> dict[str, object]:
    defaults = _defaults(out / "variables.tf")
    return {key: defaults[key] for key in ROLE_KEYS}


def test_a_new_baseline_creates_no_proton_roles(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = init(out)
    assert code == 0, output
    assert _roles(out) == dict.fromkeys(ROLE_KEYS, False)
    # A caller of the iam module that passes nothing gets none either.
    module = _defaults(out / "modules/iam/variables.tf")
    assert {key: module[key] for key in ROLE_KEYS} == dict.fromkeys(ROLE_KEYS, False)
    saved = json.loads((out / MANIFEST).read_text())["inputs"]
    assert {key: saved[key] for key in ROLE_KEYS} == dict.fromkeys(ROLE_KEYS, False)


@pytest.mark.parametrize("how", [["--proton-roles"], ["--config", "roles.toml"]])
def test_one_flag_or_key_brings_the_roles_back_and_a_rerun_keeps_them(tmp_path: Path, how: list[str]) -> None:
    (tmp_path / "roles.toml").write_text("create_pipeline_role = true\ncreate_codebuild_role = true\n")
    how = [str(tmp_path / a) if a.endswith(".toml") else a for a in how]
    out = tmp_path / "out"
    code, output = init(out, *how)
    assert code == 0, output
    expected = {"create_pipeline_role": True, "create_codebuild_role": True, "create_component_role": False}
    assert _roles(out) == expected
    code, output = init(out)  # no flag, no config: the manifest's saved answers decide
    assert code == 0, output
    assert "0 new, 0 changed, 0 removed" in output
    assert _roles(out) == expected


def test_an_estate_with_the_roles_can_turn_them_off(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert init(out, "--proton-roles")[0] == 0
    (tmp_path / "off.toml").write_text("create_pipeline_role = false\ncreate_codebuild_role = false\n")
    code, output = init(out, "--config", str(tmp_path / "off.toml"))
    assert code == 0, output
    assert _roles(out) == dict.fromkeys(ROLE_KEYS, False)
