"""What a cached result depends on, reduced to SHA-256 keys.

- `code_fingerprint()`: tfgen's own source (rules, readers, corrections, checkov's
  catalogue) and python-hcl2's version. Hashing the source rather than trusting `__version__`
  means a rule changed in a checkout can never be answered from an older rule's cache entry.
- checkov's identity, the third key of a cached checkov result, is `tfgen.checkov.identity`.
- `digest(...)`: a key from any JSON-able parts.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import tfgen

# .json: the registry of checks reads checkov's ids, practices and entity types from
# checkov/data/catalogue.json, and cached findings carry those practices.
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
