"""`write_atomic(path, data)`: a reader sees the old file or the whole new one, never a part.

The bytes go to a temporary file beside `path` (same directory, so the same filesystem), which
is then renamed over it; a failure removes the temporary file and leaves `path` as it was. The
one writer of this kind for tfgen's own files (a baseline, cache entries); `tfgen init`'s tree
has its own transaction (`tfgen/tree/writer.py`).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, prefix: str, suffix: str = "", durable: bool = False) -> None:
    """Replace `path` with `data` atomically, creating its directory; OSError on failure.

    `prefix`/`suffix`: the temporary file's name around a random part (what a sweep or a glob
    over the directory must recognise). `durable`: fsync before the rename, for a file a user
    keeps (a baseline); a cache entry lost in a crash is only computed again, so it skips that.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
