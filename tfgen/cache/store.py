"""A content-addressed cache that CI can persist: parsed files and per-group findings.

- Keys are SHA-256 digests of everything a result depends on (see `keys`), so an entry is
  never stale: a changed input is a different key. Nothing is ever invalidated or expired.
- Entries are JSON, never pickle: a cache restored from CI storage must not be able to run code.
- Entries are authenticated: each carries an HMAC-SHA256, under a key that never lives in the
  cache, of its namespace, its key and its payload. A plain checksum would not stop anyone who
  can write the cache (a restored CI cache, a shared directory) from flipping a failed finding
  to passed and recomputing it; binding the key also stops moving a passing tree's entry onto a
  failing tree's key. The HMAC key is `$TFGEN_CACHE_KEY` (a CI secret), else a random key in a
  per-user file outside the cache (`cache_key_file()`, mode 0600, created on first use).
- One file per entry, written to a temporary name and renamed, so parallel runs (a CI matrix,
  pytest-xdist) and interrupted runs never leave a half-written entry under a real name.
- Entries are read with `safe_read.read_regular` (a FIFO planted in the cache cannot block).
- An entry that is damaged, unreadable or does not verify is ignored with a warning and
  recomputed; a directory that cannot be written turns writing off for the run, with one
  warning; a cache key that cannot be had safely turns the cache off, with one warning. Either
  way the run computes everything it could not trust, so the verdict never depends on the cache.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tfgen.atomic_write import write_atomic
from tfgen.safe_read import read_regular

FORMAT = 2  # 1: a plain SHA-256 checksum, which anyone could recompute
MAGIC = b"tfgen-cache/2 "
KEY_ENV_VAR = "TFGEN_CACHE_KEY"
KEY_FILE_BYTES = 32  # random bytes in a generated key file (hex-encoded there)
PRUNE_AFTER_DAYS = 30.0
PRUNE_INTERVAL_SECONDS = 86400.0


def default_directory() -> Path:
    """$XDG_CACHE_HOME/tfgen (else ~/.cache/tfgen; %LOCALAPPDATA%\\tfgen on Windows)."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "tfgen"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tfgen"


def cache_key_file() -> Path:
    """$XDG_CONFIG_HOME/tfgen/cache-key (else ~/.config/tfgen/cache-key; %APPDATA%\\tfgen on Windows)."""
    if os.name == "nt" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "tfgen" / "cache-key"
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "tfgen" / "cache-key"


def _inside(path: Path, directory: Path) -> bool:
    real, base = os.path.realpath(path), os.path.realpath(directory)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def _create_key_file(path: Path) -> None:
    """Publish a new random key atomically (a concurrent run sees no file or a whole one)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".cache-key-")  # mode 0600
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(KEY_FILE_BYTES) + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another run made one first: use it
    finally:
        os.unlink(temporary)


def load_key(directory: Path) -> bytes:
    """The HMAC key for a cache in `directory`; ValueError (its message says why) if there is none safe."""
    secret = os.environ.get(KEY_ENV_VAR, "")
    if secret:
        if len(secret) < KEY_FILE_BYTES:  # the key file's own minimum: a short secret is guessed, then forged under
            raise ValueError(
                f"${KEY_ENV_VAR} holds fewer than {KEY_FILE_BYTES} characters, as guessable as no key; "
                "set it to a long random secret (e.g. `openssl rand -hex 32`)"
            )
        return secret.encode("utf-8")
    path = cache_key_file()
    if _inside(path, directory):
        raise ValueError(
            f"the cache key file {path} is inside the cache directory, where whoever writes the cache "
            f"could read it; set {KEY_ENV_VAR} or move XDG_CONFIG_HOME"
        )
    try:
        if not path.exists():
            _create_key_file(path)
        info = os.stat(path)
        if hasattr(os, "geteuid") and (info.st_uid != os.geteuid() or info.st_mode & 0o077):
            raise ValueError(
                f"the cache key file {path} is not private to you (mode {info.st_mode & 0o777:o}): "
                "chmod 600 it, or delete it to have a new one made"
            )
        secret_bytes = read_regular(path, 4096).strip()
    except OSError as exc:
        raise ValueError(
            f"cannot read or create the cache key file {path} ({exc.strerror or exc}); set {KEY_ENV_VAR}"
        ) from None
    if len(secret_bytes) < KEY_FILE_BYTES:
        raise ValueError(
            f"the cache key file {path} holds fewer than {KEY_FILE_BYTES} characters; delete it to have a new one made"
        )
    return secret_bytes


def _mac(secret: bytes, namespace: str, key: str, data: bytes) -> str:
    message = b"\0".join([MAGIC.strip(), namespace.encode("utf-8"), key.encode("utf-8"), data])
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


class Cache:
    """Entries under `directory/v{FORMAT}/{namespace}/{key[:2]}/{key}.json`.

    `secret`: the HMAC key (tests pass one); None loads it with `load_key` on first use.
    """

    def __init__(self, directory: Path, secret: bytes | None = None) -> None:
        self.directory = Path(directory)
        self.hits = 0
        self.misses = 0
        self._corrupt = 0
        self._unreadable: str | None = None
        self._unwritable: str | None = None
        self._secret = secret
        self._no_key: str | None = None

    def _key(self) -> bytes | None:
        if self._secret is None and self._no_key is None:
            try:
                self._secret = load_key(self.directory)
            except ValueError as exc:
                self._no_key = str(exc)
        return self._secret

    def _path(self, namespace: str, key: str) -> Path:
        return self.directory / f"v{FORMAT}" / namespace / key[:2] / f"{key}.json"

    def encode_entry(self, namespace: str, key: str, value: Any) -> bytes:
        secret = self._key()
        if secret is None:
            raise ValueError(self._no_key)
        # ASCII JSON: a file name that is not UTF-8 holds lone surrogates (surrogateescape), which
        # json writes as \udcXX escapes and reads back exactly; UTF-8 cannot encode them at all.
        data = json.dumps(value, separators=(",", ":"), ensure_ascii=True).encode("ascii")
        return MAGIC + _mac(secret, namespace, key, data).encode("ascii") + b"\n" + data

    def decode_entry(self, namespace: str, key: str, raw: bytes) -> Any:
        """The stored value; ValueError unless `raw` is what `encode_entry` wrote for this namespace and key."""
        secret = self._key()
        header, sep, data = raw.partition(b"\n")
        if secret is None or not sep or not header.startswith(MAGIC):
            raise ValueError("not a tfgen cache entry")
        if not hmac.compare_digest(header[len(MAGIC) :], _mac(secret, namespace, key, data).encode("ascii")):
            raise ValueError("does not verify with this cache key")
        return json.loads(data.decode("utf-8"))

    def has(self, namespace: str, key: str) -> bool:
        """An entry is stored under `key` (whether it verifies and reads is `get`'s to say); a stat, no read."""
        try:
            return self._key() is not None and self._path(namespace, key).is_file()
        except OSError:  # e.g. a directory it may not search: `get` says why, once
            return False

    def get(self, namespace: str, key: str, check: Callable[[Any], object] | None = None) -> Any | None:
        """The value stored under `key`, or None. `check` raises on a value of the wrong shape."""
        if self._key() is None:
            self.misses += 1
            return None
        path = self._path(namespace, key)
        try:
            raw = read_regular(path)
        except FileNotFoundError:
            self.misses += 1
            return None
        except OSError as exc:
            self._unreadable = self._unreadable or f"{exc.strerror or exc}"
            self.misses += 1
            self._discard(path)  # e.g. a FIFO where an entry belongs: the fresh result replaces it
            return None
        try:
            value = self.decode_entry(namespace, key, raw)
            if check is not None:
                check(value)
        except Exception:  # any damage at all, or a forgery: recompute, never trust
            self._corrupt += 1
            self.misses += 1
            self._discard(path)
            return None
        self.hits += 1
        try:
            os.utime(path)  # in use: `prune` keeps it
        except OSError:
            pass
        return value

    @staticmethod
    def _discard(path: Path) -> None:
        try:
            path.unlink()
        except OSError:
            pass

    def put(self, namespace: str, key: str, value: Any) -> None:
        if self._unwritable is not None or self._key() is None:
            return
        path = self._path(namespace, key)
        try:
            write_atomic(path, self.encode_entry(namespace, key, value), prefix=".tmp-", suffix=".json")
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
        for older in self.directory.glob("v*"):  # entries of an older format can never be read again
            if older.name[1:].isdigit() and int(older.name[1:]) < FORMAT and older.is_dir() and not older.is_symlink():
                shutil.rmtree(older, ignore_errors=True)
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
        if self._no_key:
            out.append(f"the cache in {self.directory} was not used: {self._no_key}")
        if self._corrupt:
            out.append(
                f"ignored {self._corrupt} corrupted cache entr{'y' if self._corrupt == 1 else 'ies'} in "
                f"{self.directory} "
                f"(damaged, or not signed with this cache key: forged, or written where {KEY_ENV_VAR} differed); "
                "recomputed (and rewrote) them"
            )
        if self._unreadable:
            out.append(f"cannot read the cache in {self.directory} ({self._unreadable}); computed everything")
        if self._unwritable:
            out.append(
                f"cannot write the cache in {self.directory} ({self._unwritable}); results were not cached "
                "(use --cache-dir DIR or --no-cache)"
            )
        return out
