"""In a terminal, `tfgen init` asks for the answers it lacks."""

from __future__ import annotations

import os
import pty
import select
import sys
import time
from pathlib import Path


def _read_until(fd: int, marker: bytes, seen: bytearray, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while marker not in seen:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no {marker!r} in {bytes(seen)!r}"
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                chunk = b""
            assert chunk, f"tfgen exited before {marker!r}: {bytes(seen)!r}"
            seen.extend(chunk)


def test_prompts_for_missing_answers_in_a_terminal(tmp_path: Path) -> None:
    out = tmp_path / "out"
    pid, fd = pty.fork()
    if pid == 0:  # child: tfgen with its stdin on the pseudo-terminal
        os.execv(sys.executable, [sys.executable, "-m", "tfgen", "init", "--skip-checkov", "--out", str(out), "--region", "eu-west-1"])
    seen = bytearray()
    _read_until(fd, b"account id", seen)
    os.write(fd, b"123456789012\n")
    _read_until(fd, b"Name prefix", seen)
    os.write(fd, b"acme\n")
    _read_until(fd, b"rendered", seen)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, bytes(seen)
    assert b"AWS region" not in seen  # given as a flag, so never asked
    assert '"123456789012"' in (out / "variables.tf").read_text()
