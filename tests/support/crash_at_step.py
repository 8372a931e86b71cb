"""Run the tfgen CLI and SIGKILL it just before its Nth write step in `tfgen.tree.writer`.

    python crash_at_step.py N init ...

A step is any call through `tfgen.tree.writer`'s `os` that changes the disk (open for writing,
write, fsync, fchmod, fchown, mkdir, replace, unlink, rmdir). The kill is a real SIGKILL of this
process: no exception, no `finally`, no atexit handler runs. Before dying it writes
`crash-at-step N: <call>` to stderr; when the run has fewer steps it exits normally, with its
exit code, after writing `step I: <call>` for each step and then `steps: <count>` to stderr.
"""

from __future__ import annotations

import os
import signal
import sys
from types import ModuleType
from typing import Any

import tfgen.tree.writer
from tfgen import cli

_STEPS = ("write", "fsync", "fchmod", "fchown", "mkdir", "makedirs", "replace", "rename", "unlink", "rmdir", "link")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC


class _CountingOs(ModuleType):
    def __init__(self, kill_at: int) -> None:
        super().__init__("os")
        self.kill_at = kill_at
        self.count = 0
        self.calls: list[str] = []

    def _step(self, description: str) -> None:
        self.count += 1
        self.calls.append(description)
        if self.count == self.kill_at:
            os.write(2, f"crash-at-step {self.count}: {description}\n".encode())
            os.kill(os.getpid(), signal.SIGKILL)

    def __getattr__(self, name: str) -> Any:
        real = getattr(os, name)
        if name == "open":

            def counted_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> Any:
                if flags & _WRITE_FLAGS:
                    self._step(f"open({path!s}, write)")
                return real(path, flags, *args, **kwargs)

            return counted_open
        if name in _STEPS and callable(real):

            def counted(*args: Any, **kwargs: Any) -> Any:
                self._step(f"{name}({', '.join(str(a) for a in args if not isinstance(a, (bytes, memoryview)))})")
                return real(*args, **kwargs)

            return counted
        return real


def main() -> None:
    counting = _CountingOs(int(sys.argv[1]))
    tfgen.tree.writer.os = counting  # type: ignore[attr-defined]
    sys.argv = ["tfgen", *sys.argv[2:]]
    try:
        cli.main()
    finally:
        listing = "".join(f"step {i}: {call}\n" for i, call in enumerate(counting.calls, 1))
        os.write(2, f"{listing}steps: {counting.count}\n".encode())


if __name__ == "__main__":
    main()
