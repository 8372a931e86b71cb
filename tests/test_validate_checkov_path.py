"""`--checkov` / TFGEN_CHECKOV: a value with a slash is a path (from the working directory), run by
its absolute path; a bare name is looked up on PATH, as a shell would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.fake_checkov import PASSED, FakeCheckov

CHECKABLE = Path(__file__).parent / "checkov_cases" / "checkable"


@pytest.fixture
def two_checkovs(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """`x` in the working directory passes the tree; another `x`, first on PATH, crashes (exit 3)."""
    work = tmp_path / "work"
    local = FakeCheckov(work / "local", json.dumps(PASSED))
    (work / "x").symlink_to(local.path)
    on_path = FakeCheckov(tmp_path / "bin", "", exit_code=3)
    (tmp_path / "bin" / "x").symlink_to(on_path.path)
    env = dict(os.environ, PATH=f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    env.pop("TFGEN_CHECKOV", None)
    return work, env


def validate(work: Path, env: dict[str, str], *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tfgen", "validate", str(CHECKABLE), "--no-cache", *flags],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_a_relative_path_runs_the_file_in_the_working_directory(
    two_checkovs: tuple[Path, dict[str, str]], how: str
) -> None:
    work, env = two_checkovs
    if how == "environment":
        env["TFGEN_CHECKOV"] = "./x"
    result = validate(work, env, *(["--checkov", "./x"] if how == "flag" else []))
    assert result.returncode == 0, result.stderr
    assert (work / "local" / "pids").read_text().strip(), "./x ran"
    assert not (work.parent / "bin" / "pids").read_text().strip(), "the x on PATH did not"


def test_a_bare_name_is_looked_up_on_path(two_checkovs: tuple[Path, dict[str, str]]) -> None:
    work, env = two_checkovs
    result = validate(work, env, "--checkov", "x")
    assert result.returncode == 2
    assert result.stderr.strip() == "tfgen: error: checkov failed with exit code 3"
    assert (work.parent / "bin" / "pids").read_text().strip(), "the x on PATH ran"


def test_a_bare_name_not_on_path_says_so(two_checkovs: tuple[Path, dict[str, str]]) -> None:
    work, env = two_checkovs
    result = validate(work, env, "--checkov", "no-such-checkov")
    assert result.returncode == 2
    assert result.stderr.startswith(
        "tfgen: error: checkov not found: no 'no-such-checkov' on PATH (--checkov); run `tfgen setup-checkov`"
    )
