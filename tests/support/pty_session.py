"""`tfgen` run in a real pseudo-terminal: what a user at a terminal types and sees."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import threading
import time

TIMEOUT = 120.0  # the longest wait for one piece of output (checkov's self-check takes ~9 s alone)


class PtySession:
    """`python -m tfgen ARGS` with stdin, stdout and stderr on one pseudo-terminal."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "TERM": "xterm", "COLUMNS": "120"}
        env.pop("NO_COLOR", None)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child: tfgen on the terminal
            # Ctrl-C reaches a program a user starts from a terminal: a runner that started pytest
            # in the background (SIGINT ignored, inherited through exec) must not decide that.
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.execve(sys.executable, [sys.executable, "-m", "tfgen", *args], env)
        self.seen = bytearray()
        self._cursor = 0  # where the next read_until starts looking

    def read_until(self, marker: bytes, timeout: float = TIMEOUT) -> bytes:
        """The output since the last marker, up to and including `marker`'s next appearance."""
        deadline = time.monotonic() + timeout
        while (found := self.seen.find(marker, self._cursor)) < 0:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {marker!r} in {bytes(self.seen)!r}"
            if not self._read(remaining):
                raise AssertionError(f"tfgen exited before {marker!r}: {bytes(self.seen)!r}")
        start, self._cursor = self._cursor, found + len(marker)
        return bytes(self.seen[start : self._cursor])

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            chunk = b""
        self.seen.extend(chunk)
        return bool(chunk)

    def answer(self, prompt: bytes, text: str) -> None:
        """Wait for `prompt`, then type `text` and Enter."""
        self.read_until(prompt)
        self.type(text)

    def type(self, text: str) -> None:
        """Type `text` and Enter (at a prompt already read)."""
        os.write(self.fd, text.encode() + b"\n")

    def interrupt(self) -> None:
        """Ctrl-C as the terminal sends it (the line discipline turns it into SIGINT)."""
        os.write(self.fd, b"\x03")

    def wait(self, timeout: float = TIMEOUT) -> int:
        """Read to the end, reap the child, return its exit code."""
        deadline = time.monotonic() + timeout
        while self._read(max(0.0, deadline - time.monotonic())):
            if time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                raise AssertionError(f"tfgen did not exit: {bytes(self.seen)!r}")
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)

    @property
    def text(self) -> str:
        return self.seen.decode("utf-8", "replace").replace("\r\n", "\n")


def run_on_a_terminal(args: list[str], env: dict[str, str], cwd: str | os.PathLike[str] | None = None) -> str:
    """tfgen validate with stdout on a pseudo-terminal; what it printed there."""
    master, slave = os.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO once the child has closed its end
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    try:
        subprocess.run(
            [sys.executable, "-m", "tfgen", "validate", *args],
            stdout=slave,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
            check=False,
        )
    finally:
        os.close(slave)
        reader.join()
        os.close(master)
    return b"".join(chunks).decode("utf-8")
