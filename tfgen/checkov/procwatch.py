"""Run one command in a process group of its own, and take the whole group down with tfgen.

Started by `checkov_run.CheckovRun` as `python -I -S procwatch.py FD ARGV...` (standard library
only: measured 34 ms from start to its first answer, against checkov's ~3 s start-up), with FD
one end of a socket pair whose other end only tfgen holds. It starts ARGV as the leader of a new
session, writes `ok PID` (or `error MESSAGE`) to FD, then waits for whichever comes first:

- the command exits: the rest of its group is killed (checkov 3.3.30 forks a worker per
  framework, which must not outlive it) and this process exits the same way the command did;
- FD reaches end of file: tfgen closed its end (a timeout, a cancel) or died, even by
  `kill -9`, since the kernel closes a dead process's descriptors. The whole group is killed.

Why not PR_SET_PDEATHSIG on checkov: it reaches checkov's main process only, not the workers it
forks (they would run on, orphaned), and it fires when the *thread* that started the child
exits, not the process. The socket needs neither, and works the same for every child in the
group. Ctrl-C reaches tfgen, which closes its end; this process ignores SIGINT itself.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # the group is already empty


def _exited(pid: int) -> bool:
    """Has the child exited? Leaves it a zombie, so its group id cannot be reused before the kill."""
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


def main(argv: list[str]) -> int:
    control = int(argv[0])
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        child = subprocess.Popen(argv[1:], start_new_session=True)
    except OSError as exc:
        os.write(control, f"error {exc.strerror or exc}\n".encode("utf-8", "replace"))
        return 127
    os.write(control, f"ok {child.pid}\n".encode())
    pidfd = None
    try:
        pidfd = os.pidfd_open(child.pid)  # Linux 5.3+: readable when the child exits
    except (AttributeError, OSError):
        pass
    watched = [control] + ([pidfd] if pidfd is not None else [])
    while True:
        ready = select.select(watched, [], [], None if pidfd is not None else 0.2)[0]
        if control in ready and not os.read(control, 64):
            break  # tfgen is gone or gave up: the command goes too
        if _exited(child.pid):
            break
    _kill_group(child.pid)
    code = child.wait()
    if code < 0:  # die of the same signal, so tfgen reads the same status checkov would give
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
