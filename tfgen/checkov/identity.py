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
from tfgen.checkov import env as checkov_env


@functools.lru_cache(maxsize=8)
def checkov_identity(executable: str) -> str:
    real = Path(os.path.realpath(executable))
    try:
        script = real.read_bytes()
    except OSError:
        script = b""
    parts: list[str] = [str(real), hashlib.sha256(script).hexdigest()]
    interpreter = checkov_env.shebang_interpreter(real)
    if interpreter is not None:
        env = interpreter.parent.parent  # a venv's bin/python links elsewhere: do not resolve it
        for site in sorted(env.glob("lib/python*/site-packages")) + sorted(env.glob("Lib/site-packages")):
            try:
                parts.extend(sorted(name for name in os.listdir(site) if name.endswith(".dist-info")))
            except OSError:
                continue
    return digest(parts)
