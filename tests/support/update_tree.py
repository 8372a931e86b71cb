"""Helpers for the tests of `tfgen update`: the CLI in this process, and a git repository around a tree."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from tfgen.cli import app

OLD_TREES = Path(__file__).resolve().parent.parent / "old_trees"
GIT = shutil.which("git")


def update(out: Path, *extra: str, cache: Path | None = None) -> tuple[int, str]:
    """`tfgen update --skip-checkov` in this process (the real CLI); stdout and stderr together."""
    args = ["update", "--out", str(out), "--skip-checkov"]
    args += ["--cache-dir", str(cache)] if cache is not None else ["--no-cache"]
    result = CliRunner().invoke(app, [*args, *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` with a fixed identity and no user or system configuration; its stdout."""
    assert GIT is not None
    env = {
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "HOME": str(repo),
        "GIT_AUTHOR_NAME": "team",
        "GIT_AUTHOR_EMAIL": "team@example.com",
        "GIT_COMMITTER_NAME": "team",
        "GIT_COMMITTER_EMAIL": "team@example.com",
        "PATH": os.path.dirname(GIT),
    }
    done = subprocess.run([GIT, *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def commit_all(repo: Path, message: str) -> None:
    if not (repo / ".git").exists():
        git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def changed_lines(diff: str) -> set[str]:
    """The lines a unified diff adds or removes, each with its sign (headers aside)."""
    return {line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++ ", "--- "))}
