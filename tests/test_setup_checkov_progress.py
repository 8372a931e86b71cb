"""`tfgen setup-checkov` says what it installs and where, then shows progress: never a silent minute.

The install itself is faked (tests/support/fake_pip.py: pip's own output lines, no download); the
real one is proven by `python3 dev.py` set-up on a fresh clone.
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support.fake_pip import fake_create_venv
from typer.testing import CliRunner

from tfgen.checkov import env as checkov_env
from tfgen.cli import app

PINS = len(checkov_env.pinned_packages())


def test_plain_lines_say_what_where_and_how_far_when_not_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkov_env, "_create_venv", fake_create_venv)
    env = tmp_path / "ckv"
    result = CliRunner().invoke(app, ["setup-checkov", "--env-dir", str(env)])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert PINS == 96
    assert (
        lines[0]
        == f"tfgen: setting up checkov 3.3.30 and its 95 pinned dependencies in {env} (about a minute the first time)"
    )
    assert lines[1:] == [
        f"tfgen: creating a virtual environment in {env}",
        "tfgen: installing checkov 3.3.30 with 95 pinned dependencies (pip)",
        "tfgen: pip: collected 24/96 packages",
        "tfgen: pip: collected 48/96 packages",
        "tfgen: pip: collected 72/96 packages",
        "tfgen: pip: collected 96/96 packages",
        f"tfgen: installing 96 packages into {env}",
        "tfgen: writing parse tables for checkov's JSONPath parsers",
    ]
    assert "\r" not in result.output and "\x1b" not in result.output
    assert result.stdout.splitlines() == [
        f"checkov 3.3.30: {env / 'bin/checkov'}",
        "checkov's JSONPath parse tables: in place",
    ]
    again = CliRunner().invoke(app, ["setup-checkov", "--env-dir", str(env)])
    assert again.exit_code == 0
    assert f"tfgen: checkov 3.3.30 is already installed in {env}" in again.stderr.splitlines()


def test_a_failed_pip_is_one_line_naming_the_cause(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checkov_env, "_create_venv", fake_create_venv)
    monkeypatch.setenv("FAKE_PIP_FAIL", "1")
    env = tmp_path / "ckv"
    result = CliRunner().invoke(app, ["setup-checkov", "--env-dir", str(env)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"tfgen: error: installing checkov 3.3.30 into {env} failed: ERROR: No matching distribution found for "
        "checkov==3.3.30"
    )
    assert "Traceback" not in result.output


_ON_A_TERMINAL = """
import sys
from support.fake_pip import fake_create_venv
from tfgen.checkov import env as checkov_env
from tfgen.cli import main
checkov_env._create_venv = fake_create_venv
sys.argv = ["tfgen", "setup-checkov", "--env-dir", sys.argv[1]]
main()
"""


def test_one_status_line_rewritten_in_place_on_a_terminal(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", _ON_A_TERMINAL, str(tmp_path / "ckv")],
        cwd=Path(__file__).resolve().parent,  # `-c` imports from the working directory: tests/ holds `support`
        stdin=follower,
        stdout=follower,
        stderr=follower,
        close_fds=True,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    assert process.wait() == 0
    screen = b"".join(chunks).decode()
    updates = re.findall(r"\r\x1b\[Ktfgen: pip: collected (\d+)/96 packages \(([^)]+)\)", screen)
    assert [int(n) for n, _ in updates] == list(range(1, 97))  # every package, on one line
    assert updates[0][1] == checkov_env.pinned_packages()[0].split("==")[0]
    assert "tfgen: pip: collected 24/96 packages\r\n" not in screen  # no plain quarter lines on a terminal
    assert f"tfgen: installing 96 packages into {tmp_path / 'ckv'}" in screen
