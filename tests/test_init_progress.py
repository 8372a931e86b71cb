"""init's checkov self-check (~9 s) shows progress on a terminal, and nothing extra off one.

What checkov finds is beside the point here: a stand-in (support/fake_checkov.py) answers one
passed check after 2 s, longer than the 1 s after which the bar appears. The real checkov's
self-check of a render is in tests/test_init_checkov.py; here it cost ~5 s of CPU per test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support.fake_checkov import PASSED, FakeCheckov
from support.init_tree import ANSWERS, without_next_steps
from support.pty_session import PtySession

WAITING = "waiting for checkov"


def slow_pass(tmp_path: Path) -> Path:
    """A checkov stand-in that passes the render after 2 s."""
    return FakeCheckov(tmp_path / "fake", json.dumps(PASSED), body="time.sleep(2)").path


def test_a_terminal_sees_progress_while_checkov_checks_the_render(tmp_path: Path) -> None:
    out = tmp_path / "out"
    checkov = str(slow_pass(tmp_path))
    session = PtySession("init", "--non-interactive", "--no-cache", "--checkov", checkov, "--out", str(out), *ANSWERS)
    session.read_until(WAITING.encode())  # before checkov's result: while it runs
    assert b"checkov " not in session.seen.split(WAITING.encode())[0]
    assert session.wait() == 0, session.text
    assert "passed, 0 failed" in session.text


def test_off_a_terminal_init_prints_no_progress(tmp_path: Path) -> None:
    out = tmp_path / "out"
    checkov = str(slow_pass(tmp_path))
    init = (sys.executable, "-m", "tfgen", "init", "--non-interactive", "--no-cache", "--checkov", checkov)
    result = subprocess.run(
        [*init, "--out", str(out), *ANSWERS],
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
