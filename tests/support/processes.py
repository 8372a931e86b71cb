"""Processes as Linux's /proc shows them: what tests read to prove that nothing was left running.

A zombie (state Z, or X while it is being reaped) has ended: it only waits for its parent, or
whoever adopted it, to collect its exit status, and counts as gone here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

_ENDED = ("Z", "X")


def _stat(pid: int | str) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state, ppid, pgrp, ...); None: no such process."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def alive(pid: int) -> bool:
    """The process exists and has not ended (where /proc cannot be read, existing is enough)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    fields = _stat(pid)
    return fields is None or fields[0] not in _ENDED


def running() -> Iterator[tuple[int, list[str]]]:
    """Every process that has not ended: its pid and its stat fields after the command name."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(entry.name)) is not None and fields[0] not in _ENDED:
            yield int(entry.name), fields


def command_line(pid: int) -> list[bytes]:
    """Its argv as /proc holds it; empty when it is gone."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return []
