"""`--changed-since REF`: the files git says changed since REF, so a pull request checks only its groups.

"Changed" is what a reviewer sees in the pull request plus what is not committed yet: every
file whose content differs between REF and the working tree (committed since REF, staged or not;
deleted and renamed files under both names), and every untracked file git does not ignore. A
changed Terraform file's local module calls at REF are read too (`Changes.called`): a module a
change stopped calling is no longer in the caller's group, yet its findings may be new (its
variables at their defaults, as a root of its own).

git runs as a subprocess with a fixed argument list (never a shell; REF after
`--end-of-options`, so a REF that starts with `-` is a revision, not an option), in the scanned
directory, with `core.fsmonitor` off so that no program named in a repository's configuration
runs. No git, a directory outside a git work tree or a REF that names no commit is one line, exit 2.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass

from tfgen.errors import EnvironmentProblem, UsageError
from tfgen.validate.discover import terraform_kind
from tfgen.validate.groups import local_sources

GIT_TIMEOUT = 120.0  # seconds; `git diff --name-only` on a large monorepo takes well under one
_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.quotepath=false")


def _git(flag: str, directory: str, *args: str, stdin: bytes | None = None) -> bytes:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(
            ["git", *_SAFE, *args],
            cwd=directory,
            env=env,
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
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


@dataclass(frozen=True)
class Changes:
    paths: frozenset[str]  # the files changed since REF, absolute, spelled from the scanned directory
    called: frozenset[str]  # the directories changed Terraform files called at REF (local sources), spelled so


def _blobs(flag: str, directory: str, names: list[tuple[str, str]]) -> dict[str, bytes]:
    """`names` (object name, key) read from git's object store in one process: key -> bytes, for the
    objects that exist (a file untracked at REF has none)."""
    if not names:
        return {}
    listed = _git(flag, directory, "cat-file", "--batch", stdin=b"".join(n.encode() + b"\n" for n, _ in names))
    found: dict[str, bytes] = {}
    at = 0
    for _, key in names:
        end = listed.index(b"\n", at)
        header = listed[at:end].split(b" ")
        at = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found[key] = listed[at : at + size]
            at += size + 1
        elif len(header) == 3:  # a tree or another kind of object: its content is skipped
            at += int(header[2]) + 1
    return found


def changed_files(directories: dict[str, str], ref: str) -> Changes:
    """The files changed since `ref` under each directory (absolute, spelled from that directory), and
    the directories the changed Terraform files called at `ref`; `directories` maps each to how messages
    name it (the PATH as typed)."""
    flag = f"--changed-since {ref}"
    changed: set[str] = set()
    called: set[str] = set()
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
        terraform: list[tuple[str, str]] = []
        for name in listed.split(b"\0"):
            if not name:
                continue
            # git names files from the top of its work tree, which it resolved: re-spell each
            # under the directory as validate spells it, so it compares with discovery's paths
            below = os.path.relpath(os.path.join(real_top, os.fsdecode(name)), real_dir)
            if below != os.pardir and not below.startswith(os.pardir + os.sep):
                path = os.path.normpath(os.path.join(directory, below))
                changed.add(path)
                if terraform_kind(os.path.basename(path)) is not None and b"\n" not in name:
                    terraform.append((f"{commit.decode().strip()}:{os.fsdecode(name)}", path))
        for path, data in _blobs(flag, directory, terraform).items():
            if b"source" in data:
                called.update(os.path.normpath(os.path.join(os.path.dirname(path), s)) for s in local_sources(data))
    return Changes(frozenset(changed), frozenset(called))
