"""What a cached result depends on, reduced to SHA-256 keys.

- `code_fingerprint()`: tfgen's own source (rules, readers, corrections, bundled checkov
  checks) and python-hcl2's version. Hashing the source rather than trusting `__version__`
  means a rule changed in a checkout can never be answered from an older rule's cache entry.
- `checkov_identity(executable)`: the checkov script's bytes, where it really lives, and the
  name of every distribution installed beside the interpreter it runs (checkov's version and
  its pinned parsers). Cheap: it never starts checkov, whose start-up alone costs seconds.
- `digest(...)`: a key from any JSON-able parts.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import tfgen

# .json: the registry of checks reads checkov's ids, practices and entity types from
# validate/registry/checkov.json, and cached findings carry those practices.
_SOURCE_SUFFIXES = (".py", ".yaml", ".yml", ".txt", ".json")


def digest(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    package = Path(tfgen.__file__).resolve().parent
    sha = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in _SOURCE_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
            sha.update(path.relative_to(package).as_posix().encode() + b"\0")
            sha.update(path.read_bytes() + b"\0")
    try:
        import hcl2

        sha.update(str(getattr(hcl2, "__version__", "")).encode())
    except ImportError:  # pragma: no cover - tfgen cannot run without it
        pass
    sha.update(f"{tfgen.__version__} {sys.version_info[:2]}".encode())
    return sha.hexdigest()


def _shebang_interpreter(script: Path) -> Path | None:
    """The interpreter a script's `#!` line names (checkov_env.interpreter_of is the python beside an executable)."""
    try:
        with open(script, "rb") as handle:
            first = handle.readline(512)
    except OSError:
        return None
    if not first.startswith(b"#!"):
        return None
    words = first[2:].decode("utf-8", "replace").split()
    return Path(words[0]) if words else None


@functools.lru_cache(maxsize=8)
def checkov_identity(executable: str) -> str:
    real = Path(os.path.realpath(executable))
    try:
        script = real.read_bytes()
    except OSError:
        script = b""
    parts: list[str] = [str(real), hashlib.sha256(script).hexdigest()]
    interpreter = _shebang_interpreter(real)
    if interpreter is not None:
        env = interpreter.parent.parent  # a venv's bin/python links elsewhere: do not resolve it
        for site in sorted(env.glob("lib/python*/site-packages")) + sorted(env.glob("Lib/site-packages")):
            try:
                parts.extend(sorted(name for name in os.listdir(site) if name.endswith(".dist-info")))
            except OSError:
                continue
    return digest(parts)
