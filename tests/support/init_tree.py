"""Helpers for the tests of what `tfgen init` writes, removes and reads under `--out`."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from tfgen.cli import app

ANSWERS = ["--account-id", "123456789012", "--region", "eu-west-1", "--name", "acme"]
# Answers that change many rendered files (names appear in most modules), for re-renders.
OTHER_ANSWERS = ["--account-id", "210987654321", "--region", "eu-central-1", "--name", "other"]
MANIFEST = ".tfgen/manifest.json"


def init(out: Path, *extra: str, answers: list[str] | None = None, cache: Path | None = None) -> tuple[int, str]:
    """`tfgen init` in this process (the real CLI); stdout and stderr together."""
    args = [
        "init",
        "--non-interactive",
        "--skip-checkov",
        "--out",
        str(out),
        *(ANSWERS if answers is None else answers),
    ]
    args += ["--cache-dir", str(cache)] if cache is not None else ["--no-cache"]
    result = CliRunner().invoke(app, [*args, *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def init_process(
    out: Path, *extra: str, answers: list[str] | None = None, prefix: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`tfgen init` as its own process (`prefix`: e.g. a wrapper that runs it)."""
    command = [
        *(prefix or [sys.executable, "-m", "tfgen"]),
        "init",
        "--non-interactive",
        "--skip-checkov",
        "--out",
        str(out),
        *(ANSWERS if answers is None else answers),
    ]
    return subprocess.run([*command, *extra], capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)


def without_next_steps(stdout: str) -> list[str]:
    """The lines of `stdout` less init's and update's "next steps:" list (its items are indented)."""
    return [line for line in stdout.splitlines() if line != "next steps:" and not line.startswith("  ")]


def tree(root: Path) -> dict[str, object]:
    """Everything under `root` without following symlinks: bytes, link targets, directories and modes."""
    result: dict[str, object] = {}
    if not os.path.lexists(root):
        return result
    for dirpath, dirnames, filenames in os.walk(root):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath, name)
            info = path.lstat()
            rel = path.relative_to(root).as_posix()
            if stat.S_ISLNK(info.st_mode):
                result[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(info.st_mode):
                result[rel] = ("dir", stat.S_IMODE(info.st_mode))
            else:
                result[rel] = (path.read_bytes(), stat.S_IMODE(info.st_mode), info.st_mtime_ns)
    return result


def files(root: Path) -> dict[str, bytes]:
    """Regular files under `root` (symlinks not followed) -> bytes."""
    return {
        rel: value[0] for rel, value in tree(root).items() if isinstance(value, tuple) and isinstance(value[0], bytes)
    }
