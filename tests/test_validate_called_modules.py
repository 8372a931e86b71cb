"""Every module a scanned tree calls is judged by tfgen's rules, wherever it sits under a PATH.

Discovery skips hidden directories and `node_modules` when walking (as checkov does), but a
module called from one (`./.mods/x`, `./node_modules/x`) is loaded by Terraform and by checkov:
it is one of the tree's modules, so tfgen's rules judge it like any other and its findings name
its files. Without this a literal AWS key in such a module passed with exit 0.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.in_process_cli import invoke_validate, json_findings

KEY = 'output "k" {\n  value = "AKIAIOSFODNN7EXAMPLE"\n}\n'
CALLED = [".mods/x", "node_modules/x", "modules/.hidden/x", ".mods/x/.deeper"]


def _tree(base: Path, called: str) -> Path:
    tree = base / "tree"
    (tree / called).mkdir(parents=True)
    (tree / "main.tf").write_text(f'module "x" {{\n  source = "./{called}"\n}}\n')
    (tree / called / "main.tf").write_text(KEY)
    return tree


@pytest.mark.parametrize("called", CALLED)
def test_a_module_called_from_a_skipped_directory_is_judged(tmp_path: Path, called: str) -> None:
    tree = _tree(tmp_path, called)
    result = invoke_validate(str(tree), "--no-cache", "--skip-checkov")
    assert result.exit_code == 1, result.output
    failed = [f for f in json_findings(tree, "--skip-checkov") if f["status"] == "failed"]
    assert {f["file"] for f in failed} == {f"{called}/main.tf"}, failed
    assert any(f["practice"] == "secrets" for f in failed), failed


def test_a_module_called_by_a_called_module_is_judged_too(tmp_path: Path) -> None:
    tree = _tree(tmp_path, ".mods/x")
    (tree / ".mods/x/main.tf").write_text('module "y" {\n  source = "../../node_modules/y"\n}\n')
    (tree / "node_modules/y").mkdir(parents=True)
    (tree / "node_modules/y/main.tf").write_text(KEY)
    failed = [f for f in json_findings(tree, "--skip-checkov") if f["status"] == "failed"]
    assert {f["file"] for f in failed} == {"node_modules/y/main.tf"}, failed


def test_a_skipped_directory_nothing_calls_stays_unread(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / ".mods/x").mkdir(parents=True)
    (tree / "main.tf").write_text('output "ok" {\n  value = 1\n}\n')
    (tree / ".mods/x/main.tf").write_text(KEY)
    assert invoke_validate(str(tree), "--no-cache", "--skip-checkov").exit_code == 0
