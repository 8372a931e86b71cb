"""`checkov_identity(executable)`: the key a cached checkov result depends on.

The checkov script's bytes, where it really lives, and the name of every distribution installed
beside the interpreter it runs (checkov's version and its pinned parsers). Cheap: it never starts
checkov, whose start-up alone costs seconds.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from tfgen.cache.keys import digest


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
