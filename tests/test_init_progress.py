"""init's checkov self-check (~9 s) shows progress on a terminal, and nothing extra off one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support.fake_checkov import FakeCheckov
from support.init_tree import ANSWERS, without_next_steps
from support.pty_session import PtySession
from support.validate import checkov_or_skip

WAITING = "waiting for checkov"


@pytest.mark.checkov
def test_a_terminal_sees_progress_while_checkov_checks_the_render(tmp_path: Path) -> None:
    checkov_or_skip()
    out = tmp_path / "out"
    session = PtySession("init", "--non-interactive", "--no-cache", "--out", str(out), *ANSWERS)
    session.read_until(WAITING.encode())  # before checkov's result: while it runs
    assert b"checkov " not in session.seen.split(WAITING.encode())[0]
    assert session.wait() == 0, session.text
    assert "passed, 0 failed" in session.text


@pytest.mark.checkov
def test_off_a_terminal_init_prints_no_progress(tmp_path: Path) -> None:
    checkov_or_skip()
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "tfgen", "init", "--non-interactive", "--no-cache", "--out", str(out), *ANSWERS],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and WAITING not in result.stdout and "\x1b[" not in result.stdout
    assert [line.split(":")[1].split()[0] for line in without_next_steps(result.stdout)] == ["rendered", "checkov"]


def test_ctrl_c_during_the_self_check_exits_130_and_writes_nothing(tmp_path: Path) -> None:
    # what checkov would find is beside the point: a stand-in that runs until it is stopped
    fake = FakeCheckov(tmp_path / "fake", body="time.sleep(300)")
    out = tmp_path / "out"
    session = PtySession(
        "init", "--non-interactive", "--no-cache", "--checkov", str(fake.path), "--out", str(out), *ANSWERS
    )
    session.read_until(WAITING.encode())
    session.interrupt()
    assert session.wait() == 130, session.text
    assert "interrupted" in session.text and "Traceback" not in session.text
    assert not out.exists()
