"""`tfgen validate --setup-checkov`: when tfgen finds no checkov of its own, it sets the pinned one up
in the user's cache first, saying what, where and how far on stderr, then runs; later runs find it
there. A checkov the user named (--checkov, $TFGEN_CHECKOV) is never replaced. An environment that
was not completed (an interrupted set-up) is set up again.

The install is faked (tests/support/fake_pip.py: pip's own output lines, no download); the real one
is proven by `python3 dev.py` set-up.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.fake_pip import fake_create_venv
from support.validate import write_tree
from typer.testing import CliRunner

from tfgen.checkov import env as checkov_env
from tfgen.cli import app

TREE = {"main.tf": 'variable "db_password" {\n  default = "literal-password"\n}\n'}
# Only a tfgen rule is asked for, so the run itself needs no checkov: the fake one answers only --version.
ONLY_TFGEN = ("--check", "TFGEN_SECRETS_2", "--no-cache", "-f", "json")


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(checkov_env, "_create_venv", fake_create_venv)
    monkeypatch.setattr(checkov_env, "default_env_dir", lambda: tmp_path / "beside-tfgen")  # none there
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("TFGEN_CHECKOV", raising=False)
    write_tree(tmp_path / "tree", TREE)
    return tmp_path


def _validate(home: Path, *args: str) -> object:
    return CliRunner().invoke(app, ["validate", str(home / "tree"), *args])


def test_the_first_run_sets_checkov_up_in_the_cache_with_progress_then_finds_it(home: Path) -> None:
    target = home / "cache" / "tfgen-checkov" / checkov_env.CHECKOV_VERSION
    first = _validate(home, "--setup-checkov", *ONLY_TFGEN)
    assert first.exit_code == 1, first.output  # type: ignore[attr-defined]
    lines = first.stderr.splitlines()  # type: ignore[attr-defined]
    assert lines[0] == (
        f"tfgen: setting up checkov 3.3.30 and its 95 pinned dependencies in {target} (about a minute the first time)"
    )
    assert f"tfgen: creating a virtual environment in {target}" in lines
    assert "tfgen: pip: collected 96/96 packages" in lines
    assert json.loads(first.stdout)["summary"]["failed"] == 1  # type: ignore[attr-defined]  # stdout: the report only
    assert (target / checkov_env.COMPLETE_MARK).is_file()
    assert checkov_env.locate() == target / "bin" / "checkov"

    again = _validate(home, "--setup-checkov", *ONLY_TFGEN)
    assert again.exit_code == 1 and "setting up" not in again.stderr  # type: ignore[attr-defined]


def test_an_interrupted_set_up_is_not_taken_for_a_checkov(home: Path) -> None:
    target = home / "cache" / "tfgen-checkov" / checkov_env.CHECKOV_VERSION
    (target / "bin").mkdir(parents=True)
    (target / "bin" / "checkov").write_text("#!/bin/sh\nexit 3\n")
    (target / "bin" / "checkov").chmod(0o755)
    assert checkov_env.needs_setup(None)
    redone = _validate(home, "--setup-checkov", *ONLY_TFGEN)
    assert redone.exit_code == 1 and "setting up checkov" in redone.stderr  # type: ignore[attr-defined]
    assert (target / checkov_env.COMPLETE_MARK).is_file()


def test_without_the_flag_a_missing_checkov_is_one_line_naming_the_flag(home: Path) -> None:
    result = _validate(home, "--no-cache")
    assert result.exit_code == 2 and not (home / "cache" / "tfgen-checkov").exists()  # type: ignore[attr-defined]
    assert "run `tfgen setup-checkov`" in result.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize("named", ["flag", "variable"])
def test_a_checkov_the_user_named_is_never_replaced(home: Path, monkeypatch: pytest.MonkeyPatch, named: str) -> None:
    missing = str(home / "no-such-checkov")
    args = ("--checkov", missing) if named == "flag" else ()
    if named == "variable":
        monkeypatch.setenv("TFGEN_CHECKOV", missing)
    result = _validate(home, "--setup-checkov", "--no-cache", *args)
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert "setting up" not in result.stderr and "checkov not found at" in result.stderr  # type: ignore[attr-defined]
    assert not (home / "cache" / "tfgen-checkov").exists()


def test_setup_checkov_is_not_a_setting(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (home / "tree" / ".tfgen.toml").write_text("[validate]\nsetup-checkov = true\n")
    monkeypatch.chdir(home / "tree")
    result = CliRunner().invoke(app, ["validate", "--no-cache", "--skip-checkov"])
    assert result.exit_code == 2 and "unknown key 'setup-checkov'" in result.stderr  # type: ignore[attr-defined]
