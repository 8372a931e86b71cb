"""Temporary directories that the next run removes if their owner died (even by `kill -9`).

A killed tfgen cannot clean up: before this, 18 of 20 `kill -9`s during a run left
`tfgen-checkov-*` / `tfgen-verify-*` copies of the scanned tree in the temporary directory.
So each such directory is named `<prefix><pid>-<random>` and holds `.owner`, on which its
creating process keeps an exclusive `flock` for the directory's life. The kernel drops the lock
when the process dies, however it dies, so `sweep()` removes exactly the directories whose lock
it can take: never a live concurrent run's (its lock is held), whatever the pid says (a reused
pid, another pid namespace sharing /tmp). A directory without `.owner` (its owner died between
creating it and locking) is removed when the pid in its name is not a running process.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

PREFIXES = ("tfgen-checkov-", "tfgen-verify-")
OWNER_FILE = ".owner"
_NAME = re.compile(r"^(?:" + "|".join(re.escape(p) for p in PREFIXES) + r")(\d+)-")
_held: dict[str, int] = {}  # directory -> the descriptor whose lock marks it as in use

try:
    import fcntl
except ImportError:  # not POSIX: no locks, no sweeping; directories are still removed when done
    fcntl = None  # type: ignore[assignment]  # mypy checks for Linux, where the module exists


def make(prefix: str) -> Path:
    """A new directory `<tmp>/<prefix><pid>-<random>`, locked as this process's."""
    if prefix not in PREFIXES:
        raise ValueError(f"unknown scratch prefix {prefix!r}")
    path = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))
    if fcntl is not None:
        try:
            fd = os.open(path / OWNER_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        except OSError:
            shutil.rmtree(path, ignore_errors=True)
            raise
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a file system without locks: no sweeper can lock it either, so none removes it
            pass
        try:
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass  # an empty .owner: the pid in the name decides
        _held[str(path)] = fd
    return path


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
    fd = _held.pop(str(path), None)
    if fd is not None:
        os.close(fd)


@contextlib.contextmanager
def directory(prefix: str) -> Iterator[Path]:
    path = make(prefix)
    try:
        yield path
    finally:
        remove(path)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner_dead(name: str) -> bool:
    match = _NAME.match(name)
    return match is not None and int(match.group(1)) != os.getpid() and not _pid_alive(int(match.group(1)))


def _abandoned(path: str, name: str) -> bool:
    try:
        fd = os.open(os.path.join(path, OWNER_FILE), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return _owner_dead(name)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        # the owner writes its pid after it holds the lock: an empty file may be a live owner
        # between creating and locking it, so then the pid decides
        written = os.read(fd, 64).endswith(b"\n")
    except OSError:
        return False  # held: its owner is alive
    finally:
        os.close(fd)  # releases the lock we may have taken
    return written or _owner_dead(name)


def sweep(base: str | None = None) -> int:
    """Remove this user's scratch directories whose owner is dead; how many were removed."""
    if fcntl is None:
        return 0
    base = base or tempfile.gettempdir()
    removed = 0
    try:
        names = [n for n in os.listdir(base) if n.startswith(PREFIXES)]
    except OSError:
        return 0
    for name in names:
        path = os.path.join(base, name)
        if path in _held:
            continue
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
            continue  # never follow a link, never touch another user's files
        if _abandoned(path, name):
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed
