"""`tfgen migrate proton` on hostile bundles and inputs: one line, exit 2, nothing written.

A bundle or an `--inputs` file may come from anyone: a non-mapping spec, JSON nested 100,000
deep, a map nested 300 deep, a YAML alias bomb (a few hundred bytes that expand to billions of
nodes) are refused in one line naming the file, bounded in size, depth and expansion before
anything walks them. `--out` inside the bundle is refused: a re-run would read its own output.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.in_process_cli import refused
from typer.testing import CliRunner

from tfgen.cli import app

ENV = Path(__file__).resolve().parent / "proton_bundles" / "env_network" / "v1"
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
)


def migrate(*args: str):
    return CliRunner().invoke(app, ["migrate", "proton", *args, "--skip-checkov"])


def _nested_map(depth: int) -> str:
    return "{" * 0 + "".join(f'{{"k{i}": ' for i in range(depth)) + "1" + "}" * depth


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("list.json", "[1, 2]", "not a mapping"),
        ("instance.yaml", "proton: ServiceSpec\ninstances:\n  - name: a\n    spec: [1]\n", "must be a mapping"),
        ("scalar.yaml", "just a string\n", "not a mapping"),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("deep-map.json", '{"environment": {"name": "e", "inputs": {"team": ' + _nested_map(300) + "}}}", "nested"),
        ("bomb.yaml", ALIAS_BOMB, "expand to more than"),
        ("deep.yaml", "a: " + "[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply"),
    ],
)
def test_hostile_inputs_are_one_line(tmp_path: Path, name: str, text: str, expected: str) -> None:
    spec = tmp_path / name
    spec.write_text(text)
    line = refused(migrate(str(ENV), "--out", str(tmp_path / "o"), "--inputs", str(spec)))
    assert name in line and expected in line, line
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("where", ["schema", "manifest"])
def test_an_alias_bomb_in_the_bundle_is_refused(tmp_path: Path, where: str) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(ENV, bundle)
    path = bundle / ("schema/schema.yaml" if where == "schema" else "infrastructure/manifest.yaml")
    path.write_text(path.read_text() + "bomb:\n" + "".join("  " + line + "\n" for line in ALIAS_BOMB.splitlines()))
    line = refused(migrate(str(bundle), "--out", str(tmp_path / "o")))
    assert path.name in line and "expand to more than" in line, line
    assert not (tmp_path / "o").exists()


def test_a_map_nested_300_deep_in_the_schema_is_refused(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(ENV, bundle)
    schema = bundle / "schema/schema.yaml"
    schema.write_text(schema.read_text() + "deep: " + _nested_map(300) + "\n")
    line = refused(migrate(str(bundle), "--out", str(tmp_path / "o")))
    assert "schema.yaml" in line and "nested too deeply" in line, line


@pytest.mark.parametrize("inside", ["out", "infrastructure/out"])
def test_out_inside_the_bundle_is_refused(tmp_path: Path, inside: str) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(ENV, bundle)
    before = sorted(p.relative_to(bundle) for p in bundle.rglob("*"))
    line = refused(migrate(str(bundle), "--out", str(bundle / inside)))
    assert "inside the bundle" in line, line
    assert sorted(p.relative_to(bundle) for p in bundle.rglob("*")) == before


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ('resource "aws_sns_topic" "a b" {\n  name = "t"\n}\n', "a b"),
        ('module "x}y" {\n  source = "./m"\n}\n', "x}y"),
        ('output "o o" {\n  value = 1\n}\n', "o o"),
    ],
)
def test_a_label_terraform_rejects_is_refused_at_its_line(tmp_path: Path, text: str, label: str) -> None:
    # moved blocks and re-exported outputs name every resource, module call and output by label.
    bundle = tmp_path / "bundle"
    shutil.copytree(ENV, bundle)
    (bundle / "infrastructure" / "labels.tf").write_text("\n" + text, encoding="utf-8")
    line = refused(migrate(str(bundle), "--out", str(tmp_path / "o")))
    assert "labels.tf:2" in line and label in line, line
    assert not (tmp_path / "o").exists()


def test_a_label_terraform_rejects_in_json_syntax_is_refused_at_its_line(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(ENV, bundle)
    text = '{\n  "resource": {\n    "aws_sns_topic": {\n      "a b": {"name": "t"}\n    }\n  }\n}\n'
    (bundle / "infrastructure" / "labels.tf.json").write_text(text, encoding="utf-8")
    line = refused(migrate(str(bundle), "--out", str(tmp_path / "o")))
    assert "labels.tf.json:4" in line and "a b" in line, line
