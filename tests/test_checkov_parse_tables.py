"""checkov's JSONPath parse tables: written by the set-up, used by checkov, findings unchanged.

`tfgen setup-checkov` writes PLY tables for bc_jsonpath_ng (tfgen/checkov/data/checkov_parse_tables.py)
so checkov stops rebuilding them for every expression. These tests run the real checkov CLI
entry point twice on the same tree, once as installed and once with the table modules made
unimportable, count how often PLY had to generate tables, and compare every result.
"""

from __future__ import annotations

import subprocess
from dataclasses import astuple
from pathlib import Path

import pytest
from support.validate import CORPUS, checkov_or_skip

from tfgen.checkov import env as checkov_env
from tfgen.checkov import run as checkov_run

pytestmark = pytest.mark.checkov

TABLE_MODULES = ("bc_jsonpath_ng.parser_jsonpath_parsetab", "bc_jsonpath_ng.ext.parser_jsonpath_parsetab")

# argv after -c: MODE MARKER checkov-arguments...; every table generation appends one byte to MARKER
# (checkov forks its runners; the children inherit the patch and append too).
LAUNCHER = f"""
import sys
import ply.yacc
mode, marker = sys.argv[1], sys.argv[2]
del sys.argv[1:3]
if mode == "without-tables":
    for name in {TABLE_MODULES!r}:
        sys.modules[name] = None  # an import of it raises ImportError: PLY then builds the tables
generator = ply.yacc.LRGeneratedTable
class Counting(generator):
    def __init__(self, *args, **kwargs):
        with open(marker, "a") as out:
            out.write("x")
        super().__init__(*args, **kwargs)
ply.yacc.LRGeneratedTable = Counting
from checkov.main import Checkov
sys.exit(Checkov().run())
"""


def _run(executable: Path, trees: list[Path], mode: str, marker: Path) -> tuple[list[tuple], int]:
    argv = checkov_run.command(executable, directories=trees)
    result = subprocess.run(
        [str(checkov_env.interpreter_of(executable)), "-c", LAUNCHER, mode, str(marker), *argv[1:]],
        capture_output=True,
        text=True,
        timeout=600,
        env=checkov_env.offline_environment(),
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    output = checkov_run.parse_output(result.stdout)
    assert not output.parsing_errors
    generated = len(marker.read_text()) if marker.exists() else 0
    return sorted(astuple(r) for r in output.results), generated


def test_the_setup_left_tables_checkov_loads() -> None:
    executable = checkov_or_skip()
    checkov_env.write_parse_tables(
        checkov_env.interpreter_of(executable), verify_only=True
    )  # raises if missing or stale


def test_findings_are_identical_with_and_without_the_tables(rendered_baseline: Path, tmp_path: Path) -> None:
    """The rendered baseline and the corpus in one checkov run per mode: checkov's start (~2.2 s of
    CPU before it reads a file, more under this launcher) is paid twice instead of four times."""
    executable = checkov_or_skip()
    trees = [rendered_baseline, CORPUS]
    with_tables, generated_with = _run(executable, trees, "with-tables", tmp_path / "with")
    without_tables, generated_without = _run(executable, trees, "without-tables", tmp_path / "without")
    assert generated_with == 0, "checkov rebuilt parse tables although the set-up wrote them"
    assert generated_without > 0, "these trees never reached checkov's JSONPath parser: the comparison proves nothing"
    for tree in trees:  # each tree's findings are in the comparison: abs_path is a result's fifth field
        inside = str(tree.resolve()) + "/"
        assert len([r for r in with_tables if str(r[4]).startswith(inside)]) > 100, tree
    assert with_tables == without_tables


def test_a_missing_environment_is_one_clear_error(tmp_path: Path) -> None:
    from tfgen.errors import CheckovError

    with pytest.raises(CheckovError, match="parse tables"):
        checkov_env.write_parse_tables(tmp_path / "no-such-env" / "bin" / "python")


def test_setup_goes_on_with_a_warning_when_the_tables_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only environment: checkov still works there, so set-up warns instead of failing."""
    from typer.testing import CliRunner

    from tfgen.cli import app

    bin_dir = tmp_path / "env" / "bin"
    bin_dir.mkdir(parents=True)
    python = bin_dir / "python"
    python.write_text('#!/bin/sh\necho "parse tables missing or stale: $2"\nexit 1\n')
    python.chmod(0o755)
    monkeypatch.setattr(checkov_env, "install", lambda env_dir=None, progress=None: bin_dir / "checkov")
    result = CliRunner().invoke(app, ["setup-checkov"])
    assert result.exit_code == 0, result.output
    assert "warning" in result.output and "parse tables missing or stale" in result.output
    assert "in place" not in result.output
