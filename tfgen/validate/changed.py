"""`--changed-since REF`: the files git says changed since REF, so a pull request checks only its groups.

"Changed" is what a reviewer sees in the pull request plus what is not committed yet: every
file whose content differs between REF and the working tree (committed since REF, staged or not;
deleted and renamed files under both names), and every untracked file git does not ignore.

git runs as a subprocess with a fixed argument list (never a shell; REF after
`--end-of-options`, so a REF that starts with `-` is a revision, not an option), in the scanned
directory, with `core.fsmonitor` off so that no program named in a repository's configuration
runs. No git, a directory outside a git work tree or a REF that names no commit is one line, exit 2.
"""

from __future__ import annotations

import os
import subprocess

from tfgen.errors import EnvironmentProblem, UsageError

GIT_TIMEOUT = 120.0  # seconds; `git diff --name-only` on a large monorepo takes well under one
_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.quotepath=false")


def _git(flag: str, directory: str, *args: str) -> bytes:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(
            ["git", *_SAFE, *args],
            cwd=directory,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise EnvironmentProblem(f"{flag}: git is not installed or not on PATH; it says what changed") from None
    except subprocess.TimeoutExpired:
        raise EnvironmentProblem(f"{flag}: git did not answer within {GIT_TIMEOUT:.0f} s") from None
    except OSError as exc:
        raise EnvironmentProblem(f"{flag}: cannot run git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _Failed(message[-1] if message else f"git exited {done.returncode}")
    return done.stdout


class _Failed(Exception):
    """git ran and refused; the message is its last line."""


def changed_files(directories: dict[str, str], ref: str) -> frozenset[str]:
    """The files changed since `ref` under each directory (absolute, spelled from that directory);
    `directories` maps each to how messages name it (the PATH as typed)."""
    flag = f"--changed-since {ref}"
    changed: set[str] = set()
    for directory, shown in directories.items():
        try:
            top = os.fsdecode(_git(flag, directory, "rev-parse", "--show-toplevel").rstrip(b"\n"))
        except _Failed:
            raise UsageError(f"{flag}: {shown} is not in a git work tree") from None
        try:
            commit = _git(flag, directory, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
        except _Failed:
            raise UsageError(f"{flag}: no such commit in the git repository of {shown}") from None
        here = ("--", ".")  # only what lies under the scanned directory
        listed = _git(flag, directory, "diff", "--name-only", "--no-renames", "-z", commit.decode().strip(), *here)
        listed += _git(flag, directory, "ls-files", "--others", "--exclude-standard", "--full-name", "-z", *here)
        real_top, real_dir = os.path.realpath(top), os.path.realpath(directory)
        for name in listed.split(b"\0"):
            if not name:
                continue
            # git names files from the top of its work tree, which it resolved: re-spell each
            # under the directory as validate spells it, so it compares with discovery's paths
            below = os.path.relpath(os.path.join(real_top, os.fsdecode(name)), real_dir)
            if below != os.pardir and not below.startswith(os.pardir + os.sep):
                changed.add(os.path.normpath(os.path.join(directory, below)))
    return frozenset(changed)
