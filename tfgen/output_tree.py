"""Put a rendered tree on disk without losing anything.

A plan compares the render with the disk and the previous manifest: identical files are left
untouched, files the user changed since generation are conflicts, files tfgen no longer
renders are removed only when unmodified. Writing stages every file first (so a failure
leaves the disk as it was), then moves a new tree into place with one rename, or replaces
the changed files of an existing tree one `os.replace` at a time, the manifest last.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tfgen.errors import UsageError
from tfgen.manifest import MANIFEST_PATH, Manifest, sha256


@dataclass
class Plan:
    out: Path
    files: Mapping[str, bytes]
    new: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # rendered before, not now, unmodified: removed
    conflicts: list[str] = field(default_factory=list)  # edited by the user (or not ours) and in the way

    @property
    def changes(self) -> list[str]:
        return sorted(self.new + self.modified + self.stale)

    def summary(self) -> str:
        parts = [f"{p} (new)" for p in self.new] + [f"{p} (changed)" for p in self.modified] + [f"{p} (removed)" for p in self.stale]
        return ", ".join(sorted(parts))


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None


def plan(out: Path, files: Mapping[str, bytes], previous: Manifest | None) -> Plan:
    result = Plan(out=out, files=files)
    recorded = dict(previous.files) if previous else {}
    for path in sorted(files):
        current = _read(out / path)
        if current is None:
            result.new.append(path)
        elif current == files[path]:
            result.unchanged.append(path)
        else:
            result.modified.append(path)
            # The manifest changes on every re-render; its edits are never the user's work.
            if path != MANIFEST_PATH and recorded.get(path) != sha256(current):
                result.conflicts.append(path)
    for path in sorted(set(recorded) - set(files)):
        current = _read(out / path)
        if current is not None and sha256(current) == recorded[path]:
            result.stale.append(path)
    return result


def _existing_ancestor(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path.cwd()


def stage(files: Mapping[str, bytes], staging: Path) -> None:
    """Write `files` (relative path -> bytes) under `staging`, creating directories."""
    for rel, data in files.items():
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _is_empty_dir(path: Path) -> bool:
    return path.is_dir() and not any(path.iterdir())


def write(result: Plan) -> None:
    """Apply a plan; any OSError leaves `out` as it was and becomes a one-line UsageError."""
    out = result.out.absolute()
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {result.out}: exists and is not a directory")
    anchor = _existing_ancestor(out.parent)
    if not anchor.is_dir():
        raise UsageError(f"--out {result.out}: {anchor} is not a directory")
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tfgen-", dir=anchor))
    except OSError as exc:
        raise UsageError(f"--out {result.out}: cannot write in {anchor}: {exc.strerror or exc}") from None
    try:
        changed = {p: result.files[p] for p in result.new + result.modified}
        try:
            stage(changed, staging)
        except OSError as exc:
            raise UsageError(f"--out {result.out}: cannot write: {exc.strerror or exc}") from None
        try:
            if not out.exists() or _is_empty_dir(out):
                out.parent.mkdir(parents=True, exist_ok=True)
                if out.exists():
                    out.rmdir()
                staging.rename(out)
                return
            # Manifest last: an interrupted run then still looks edited-since-generation, never clean.
            for rel in sorted(changed, key=lambda p: (p == MANIFEST_PATH, p)):
                target = out / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / rel, target)
            for rel in result.stale:
                (out / rel).unlink(missing_ok=True)
        except OSError as exc:
            raise UsageError(f"--out {result.out}: cannot write: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
