"""The real `tfgen` entry point (`python -m tfgen`, i.e. `tfgen.cli:main`) in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def tfgen(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run tfgen with `args`; `COLUMNS` is fixed so help text wraps the same everywhere."""
    merged = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "tfgen", *args],
        cwd=cwd,
        env=merged,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
