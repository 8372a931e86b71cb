"""Which settings files the user has allowed, as direnv's `allow` does for `.envrc`.

A settings file travels with a repository, so whoever wrote the repository wrote it. Settings
that run a program or write outside the repository are honoured only from a file the user has
allowed: `tfgen allow` records the file's resolved path and the sha256 of its bytes in
`$XDG_CONFIG_HOME/tfgen/allowed-settings.json` (else `~/.config/tfgen/...`), outside every
repository, so any edit of the file needs a new allow. See docs/settings-trust.md.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from tfgen.atomic_write import write_atomic
from tfgen.errors import UsageError
from tfgen.safe_read import read_regular

ALLOW_FILE = "allowed-settings.json"
MAX_BYTES = 1 << 20  # a few hundred entries of ~150 bytes: far below; a bound against a mistaken file

# Keys (validate's long flags) a repository's file may not set unless allowed: `checkov` runs a
# program; the path keys write files, so only a path inside the settings file's directory is the
# repository's own business.
RUNS_PROGRAM = frozenset({"checkov"})
WRITES = frozenset({"output", "create-baseline", "cache-dir"})
# Keys that make the verdict weaker than the tree deserves: honoured, and shown in every report.
WEAKENS = frozenset(
    {
        "skip-check",
        "check",
        "fail-on",
        "soft-fail",
        "baseline",
        "create-baseline",
        "skip-checkov",
        "shard",
        "changed-since",
    }
)


def allow_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "tfgen" / ALLOW_FILE


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entries() -> dict[str, str]:
    path = allow_file()
    try:
        data = read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise UsageError(f"{path}: not a tfgen allow list (delete it and allow your settings files again)") from None
    allowed = document.get("allowed") if isinstance(document, dict) else None
    if not isinstance(allowed, dict) or not all(isinstance(v, str) for v in allowed.values()):
        raise UsageError(f"{path}: not a tfgen allow list (delete it and allow your settings files again)")
    return allowed


def is_allowed(settings_file: Path, data: bytes) -> bool:
    """Has the user allowed this very file with these very bytes?"""
    return _entries().get(os.path.realpath(settings_file)) == digest(data)


def allow(settings_file: Path, data: bytes, *, revoke: bool = False) -> Path:
    """Record (or with `revoke`, forget) the file at its resolved path; returns the allow list's path."""
    entries = _entries()
    real = os.path.realpath(settings_file)
    if revoke:
        entries.pop(real, None)
    else:
        entries[real] = digest(data)
    path = allow_file()
    document = json.dumps({"allowed": dict(sorted(entries.items()))}, indent=2) + "\n"
    try:
        write_atomic(path, document.encode("utf-8"), prefix=".allowed-settings-")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return path


def writes_outside(value: str, base: str) -> bool:
    """Does a path setting (already resolved against the settings file's directory `base`) leave `base`?"""
    real, root = os.path.realpath(value), os.path.realpath(base or ".")
    return not (real == root or real.startswith(os.path.join(root, "")))
