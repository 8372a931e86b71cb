"""A content-addressed cache that CI can persist: parsed files and per-group findings.

- Keys are SHA-256 digests of everything a result depends on (see `cachekeys`), so an entry is
  never stale: a changed input is a different key. Nothing is ever invalidated or expired.
- Entries are JSON, never pickle: a cache restored from CI storage must not be able to run code.
- One file per entry, written to a temporary name and renamed, so parallel runs (a CI matrix,
  pytest-xdist) and interrupted runs never leave a half-written entry under a real name.
- Each entry carries the SHA-256 of its payload. A corrupted or unreadable entry is ignored with
  a warning and recomputed; a directory that cannot be written turns writing off for the run,
  with one warning. Either way the run computes everything it could not read, so the verdict
  never depends on the cache's health.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMAT = 1
MAGIC = b"tfgen-cache/1 "
PRUNE_AFTER_DAYS = 30.0
PRUNE_INTERVAL_SECONDS = 86400.0


def default_directory() -> Path:
    """$XDG_CACHE_HOME/tfgen (else ~/.cache/tfgen; %LOCALAPPDATA%\\tfgen on Windows)."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "tfgen"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tfgen"


def encode(value: Any) -> bytes:
    data = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return MAGIC + hashlib.sha256(data).hexdigest().encode("ascii") + b"\n" + data


def decode(raw: bytes) -> Any:
    """The stored value; ValueError if the entry is not exactly what `encode` wrote."""
    header, sep, data = raw.partition(b"\n")
    if not sep or not header.startswith(MAGIC):
        raise ValueError("not a tfgen cache entry")
    if header[len(MAGIC):].decode("ascii", "replace") != hashlib.sha256(data).hexdigest():
        raise ValueError("checksum mismatch")
    return json.loads(data.decode("utf-8"))


class Cache:
    """Entries under `directory/v{FORMAT}/{namespace}/{key[:2]}/{key}.json`."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.hits = 0
        self.misses = 0
        self._corrupt = 0
        self._unreadable: str | None = None
        self._unwritable: str | None = None

    def _path(self, namespace: str, key: str) -> Path:
        return self.directory / f"v{FORMAT}" / namespace / key[:2] / f"{key}.json"

    def get(self, namespace: str, key: str, check: Callable[[Any], object] | None = None) -> Any | None:
        """The value stored under `key`, or None. `check` raises on a value of the wrong shape."""
        path = self._path(namespace, key)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            self.misses += 1
            return None
        except OSError as exc:
            self._unreadable = self._unreadable or f"{exc.strerror or exc}"
            self.misses += 1
            return None
        try:
            value = decode(raw)
            if check is not None:
                check(value)
        except Exception:  # any damage at all: recompute, never trust
            self._corrupt += 1
            self.misses += 1
            try:
                path.unlink()  # the fresh result replaces it
            except OSError:
                pass
            return None
        self.hits += 1
        try:
            os.utime(path)  # in use: `prune` keeps it
        except OSError:
            pass
        return value

    def put(self, namespace: str, key: str, value: Any) -> None:
        if self._unwritable is not None:
            return
        path = self._path(namespace, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(encode(value))
                os.replace(temporary, path)
            except BaseException:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
                raise
        except OSError as exc:
            self._unwritable = f"{exc.strerror or exc}"
        except (TypeError, ValueError) as exc:  # a value JSON cannot hold: a tfgen bug, not the user's
            print(f"tfgen: internal: cannot cache a {namespace} entry: {exc}", file=sys.stderr)

    def prune(self, max_age_days: float = PRUNE_AFTER_DAYS, now: float | None = None) -> int:
        """Delete entries no run has read or written for `max_age_days`; at most once a day.

        Keys never go stale, but a cache CI persists would otherwise grow with every version of
        every file. A hit refreshes an entry's time (see `get`), so what is in use stays.
        Returns how many entries were deleted; errors only make it delete less.
        """
        now = time.time() if now is None else now
        marker = self.directory / f"v{FORMAT}" / "last-prune"
        try:
            if now - marker.stat().st_mtime < PRUNE_INTERVAL_SECONDS:
                return 0
        except OSError:
            pass
        removed = 0
        limit = now - max_age_days * 86400
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
            for path in (self.directory / f"v{FORMAT}").glob("*/*/*.json"):
                try:
                    if path.stat().st_mtime < limit:
                        path.unlink()
                        removed += 1
                except OSError:
                    continue
        except OSError:
            pass
        return removed

    def warnings(self) -> list[str]:
        """One line per kind of trouble met; each says the run went on without that part."""
        out: list[str] = []
        if self._corrupt:
            out.append(f"ignored {self._corrupt} corrupted cache entr{'y' if self._corrupt == 1 else 'ies'} in {self.directory}; "
                       "recomputed (and rewrote) them")
        if self._unreadable:
            out.append(f"cannot read the cache in {self.directory} ({self._unreadable}); computed everything")
        if self._unwritable:
            out.append(f"cannot write the cache in {self.directory} ({self._unwritable}); results were not cached "
                       "(use --cache-dir DIR or --no-cache)")
        return out
