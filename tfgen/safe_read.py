"""Read a file tfgen was told to read: a regular file, of bounded size, never blocking.

`Path.read_bytes()` on a FIFO blocks until a writer appears (forever, in CI), and on
`/dev/zero` reads until memory runs out. Every configuration, baseline, manifest and cache
file tfgen opens goes through `read_regular`, which opens without blocking, checks with
`fstat` on the opened descriptor (so a swap between check and open cannot slip a FIFO in)
that it is a regular file, and reads at most `limit` bytes.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

# A generous ceiling for the small text files tfgen reads (answers, baselines, manifests,
# cache entries); Terraform sources have their own limit in validate's discovery.
DEFAULT_LIMIT = 16 * 1024 * 1024


class NotRegularFileError(OSError):
    """The path is a FIFO, device, socket or directory, or larger than the limit."""


class OutsideError(OSError):
    """What was opened is not where the caller allows reading (a directory swapped for a link)."""


def opened_path(fd: int) -> str | None:
    """The path the kernel opened `fd` at (Linux /proc), None where that cannot be asked."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None


def read_regular(
    path: Path | str,
    limit: int = DEFAULT_LIMIT,
    *,
    follow_symlinks: bool = True,
    within: Callable[[str], bool] | None = None,
) -> bytes:
    """The bytes of the regular file at `path`; OSError (with a readable strerror) otherwise.

    `follow_symlinks=False` refuses a symlink as the last component (ELOOP). `within`, where
    given, is asked about the path the file was actually opened at: O_NOFOLLOW guards only the
    last component, so a directory swapped for a link between a caller's check and this open
    would otherwise be followed (OutsideError instead).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        if within is not None:
            actual = opened_path(fd)
            if actual is not None and not within(actual):
                raise OutsideError(0, "outside the scanned paths (a link swapped in)", str(path))
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file (FIFO, device or socket)"
            raise NotRegularFileError(0, kind, str(path))
        if info.st_size > limit:
            raise NotRegularFileError(0, f"larger than {limit} bytes", str(path))
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:  # grew while we read it
            raise NotRegularFileError(0, f"larger than {limit} bytes", str(path))
        return data
    finally:
        os.close(fd)
