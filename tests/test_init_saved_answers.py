"""The answers saved in `.tfgen/manifest.json` (`inputs`), as `tfgen init` and `tfgen update` read them back.

A manifest another command wrote is refused before its inputs are read as init's answers; a
saved answer tfgen cannot accept is an error that names the manifest. Each case: exit 2, one
line, nothing written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support.init_tree import MANIFEST, files, init
from support.update_tree import update
from typer.testing import CliRunner

from tfgen.cli import app

BUNDLE = Path(__file__).resolve().parent / "proton_bundles" / "env_network" / "v1"
COMMANDS = ["init", "update"]


def _run(command: str, out: Path, *extra: str) -> tuple[int, str]:
    """init (the tree's saved answers, no flag) or update, through the CLI."""
    if command == "init":
        return init(out, *extra, answers=[])
    return update(out, *extra)


def _error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("tfgen: error:")]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_tree_tfgen_migrate_proton_wrote_is_refused_naming_its_manifest(tmp_path: Path, command: str) -> None:
    out = tmp_path / "network"
    migrated = CliRunner().invoke(app, ["migrate", "proton", str(BUNDLE), "--out", str(out), "--skip-checkov"])
    assert (out / MANIFEST).exists(), migrated.output
    before = files(out)
    code, output = _run(command, out)
    assert code == 2, output
    assert _error_lines(output) == [
        f"tfgen: error: {out / MANIFEST}: written by tfgen migrate proton, not tfgen init; tfgen {command} renders "
        "only a tree tfgen init wrote (choose another --out)"
    ]
    assert files(out) == before


def _saved(out: Path, **inputs: Any) -> dict[str, bytes]:
    """Change the saved answers of the tree init rendered into `out`; the tree's files after."""
    assert init(out)[0] == 0
    document = json.loads((out / MANIFEST).read_text())
    document["inputs"].update(inputs)
    (out / MANIFEST).write_text(json.dumps(document, indent=2))
    return files(out)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("inputs", "problem"),
    [
        ({"region": 5}, "region: must be a string, not 5"),
        ({"bundle": "env_network"}, "unknown setting 'bundle'"),
        ({"region": "mars-1"}, "region: 'mars-1' is not an AWS region name (e.g. eu-west-1)"),
    ],
)
def test_a_saved_answer_tfgen_cannot_accept_names_the_manifest(
    tmp_path: Path, command: str, inputs: dict[str, Any], problem: str
) -> None:
    out = tmp_path / "baseline"
    before = _saved(out, **inputs)
    code, output = _run(command, out)
    assert code == 2, output
    assert _error_lines(output) == [f"tfgen: error: {out / MANIFEST}: inputs: {problem}"]
    assert files(out) == before


@pytest.mark.parametrize("command", COMMANDS)
def test_a_flag_replaces_a_saved_answer_it_could_not_accept(tmp_path: Path, command: str) -> None:
    out = tmp_path / "baseline"
    _saved(out, region="mars-1")
    code, output = _run(command, out, "--region", "eu-west-1")
    assert code == 0, output
    assert json.loads((out / MANIFEST).read_text())["inputs"]["region"] == "eu-west-1"


def test_an_answer_a_flag_gives_wrong_is_the_flags_not_the_manifests(tmp_path: Path) -> None:
    out = tmp_path / "baseline"
    before = _saved(out)
    code, output = update(out, "--region", "mars-1")
    assert code == 2, output
    assert _error_lines(output) == ["tfgen: error: region: 'mars-1' is not an AWS region name (e.g. eu-west-1)"]
    assert files(out) == before
