"""Which paths under `--out` tfgen may read, write or delete.

A path tfgen acts on is `out/rel` where `rel` is relative, normalised (no `.`, `..` or empty
component, no backslash, no NUL) and no component below `out` is a symlink: otherwise an entry
of a tampered `.tfgen/manifest.json` (`../x`, `/etc/x`) or a symlink planted in the tree
(`out/modules -> elsewhere`) would make tfgen delete, overwrite or hash files outside `--out`.
`--out` itself may be a symlink: the user named it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from tfgen.errors import UsageError

# Linux NAME_MAX: a longer component can never exist, and the OS calls fail with ENAMETOOLONG.
NAME_MAX = 255


def entry_problem(rel: str) -> str | None:
    """Why `rel` is not a path inside `--out` tfgen could have generated, or None."""
    if not rel:
        return "empty"
    if "\x00" in rel:
        return "contains a NUL byte"
    if rel.startswith("/"):
        return "an absolute path, outside --out"
    parts = rel.split("/")
    if ".." in parts:
        return "outside --out (it climbs with '..')"
    if "\\" in rel:
        return "contains a backslash (paths are POSIX, relative to --out)"
    if any(part in ("", ".") for part in parts):
        return "not normalised ('.' or an empty component)"
    if any(len(part.encode("utf-8", "surrogatepass")) > NAME_MAX for part in parts):
        return f"a component longer than {NAME_MAX} bytes"
    return None


def out_exists(out: Path) -> bool:
    """Whether `--out` exists (as a directory, possibly through a symlink the user named)."""
    if any(len(os.fsencode(part)) > NAME_MAX for part in out.parts):
        # Found before anything is created: below a missing parent, stat says ENOENT, and
        # `makedirs` would create the parents before failing on this component.
        raise UsageError(f"--out {out}: {os.strerror(errno.ENAMETOOLONG)}")
    try:
        info = os.stat(out)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as exc:
        raise UsageError(f"--out {out}: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise UsageError(f"--out {out}: exists and is not a directory")
    return True


def checked(out: Path, rel: str) -> Path:
    """`out/rel`, after proving that no existing component of `rel` is a symlink or a non-directory parent.

    Components that do not exist yet end the walk: tfgen creates them as real directories.
    """
    path = out
    parts = rel.split("/")
    for index, part in enumerate(parts):
        path = path / part
        try:
            info = os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            break
        except OSError as exc:
            raise UsageError(f"{path}: {exc.strerror or exc}") from None
        if stat.S_ISLNK(info.st_mode):
            raise UsageError(
                f"{path}: is a symlink inside --out; tfgen never reads, writes or deletes through one "
                "(replace it with a real directory or file)"
            )
        if index < len(parts) - 1 and not stat.S_ISDIR(info.st_mode):
            raise UsageError(f"{path}: not a directory, but tfgen keeps {rel} under it (move it away)")
    return out / rel
