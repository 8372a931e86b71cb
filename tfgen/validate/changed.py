"""`--changed-since REF`: the files git says changed since REF, so a pull request checks only its groups.

"Changed" is what a reviewer sees in the pull request plus what is not committed yet: every
file whose content differs between REF and the working tree (committed since REF, staged or not;
deleted and renamed files under both names), and every untracked file git does not ignore. What a
changed file called at REF is read too (`Changes.called`: a Terraform file's local module sources, a
directory link's target, from git's copy at REF by blob id): a module a change stopped calling is no
longer in the caller's group, yet its findings may be new (its variables at their defaults).

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
from tfgen.validate.discover import MAX_FILE_BYTES, terraform_kind
from tfgen.validate.groups import local_sources

GIT_TIMEOUT = 120.0  # seconds; `git diff --name-only` on a large monorepo takes well under one
_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.quotepath=false")


def _git(flag: str, directory: str, *args: str, stdin: bytes | None = None) -> bytes:
    # GIT_NO_LAZY_FETCH: in a partial clone, a blob that is not here is "missing", not fetched (git
    # 2.39.5 here honours it; a git that does not may fetch it from the clone's remote)
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_NO_LAZY_FETCH": "1"}
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
    # The directories the changed Terraform files called at REF (their local sources) and the changed
    # directory links pointed to, resolved (`os.path.realpath`, as tfgen's rules link a call to its module)
    called: frozenset[str]
    # A changed Terraform file unreadable at REF (over 2 MiB, or a blob a partial clone does not
    # hold): its calls are unknown, so every group is checked
    unknown: bool = False
    # Submodules whose commit changed (git lists a submodule, not the files in it): every file under
    # one counts as changed
    trees: frozenset[str] = frozenset()


_LINK_MODE = b"120000"  # git's mode of a symbolic link, whose blob is the path it points to
_SUBMODULE_MODE = b"160000"  # git's mode of a submodule (a "gitlink": the commit it is at)


def _sizes(flag: str, directory: str, blobs: list[bytes]) -> list[int | None]:
    """The size of each blob (hex object ids git listed), in one process; None for a blob this clone
    does not hold (a partial clone's)."""
    listed = _git(flag, directory, "cat-file", "--batch-check", stdin=b"".join(b + b"\n" for b in blobs))
    fields = [line.split(b" ") for line in listed.splitlines()]
    return [int(f[2]) if len(f) == 3 and f[1] == b"blob" else None for f in fields]


def _contents(flag: str, directory: str, blobs: list[bytes]) -> list[bytes]:
    """The bytes of each blob (hex object ids git listed), in one process."""
    listed = _git(flag, directory, "cat-file", "--batch", stdin=b"".join(b + b"\n" for b in blobs))
    found: list[bytes] = []
    at = 0
    for _ in blobs:  # each: "<id> blob <size>\n<bytes>\n"
        end = listed.index(b"\n", at)
        size = int(listed[at:end].split(b" ")[2])
        found.append(listed[end + 1 : end + 1 + size])
        at = end + 1 + size + 1
    return found


def _called_at_ref(flag: str, directory: str, before: list[tuple[bytes, bytes, str]]) -> tuple[set[str], bool]:
    """What the files listed by (mode at REF, blob id at REF, path now) called at REF: the local
    sources of a Terraform file, the target of a link; and whether one could not be read (too large, or
    not in this clone)."""
    wanted = [(mode, blob, path) for mode, blob, path in before if mode == _LINK_MODE or terraform_kind(path)]
    if not wanted:
        return set(), False
    sizes = _sizes(flag, directory, [blob for _, blob, _ in wanted])
    readable = [item for item, size in zip(wanted, sizes, strict=True) if size is not None and size <= MAX_FILE_BYTES]
    called: set[str] = set()
    for (mode, _, path), data in zip(readable, _contents(flag, directory, [b for _, b, _ in readable]), strict=True):
        here = os.path.dirname(path)
        if mode == _LINK_MODE:
            called.add(os.path.realpath(os.path.join(here, os.fsdecode(data))))
        elif b"source" in data:
            called.update(os.path.realpath(os.path.join(here, source)) for source in local_sources(data))
    return called, len(readable) < len(wanted)


def changed_files(directories: dict[str, str], ref: str) -> Changes:
    """The files changed since `ref` under each directory (absolute, spelled from that directory), and
    what the changed files called at `ref`; `directories` maps each to how messages name it (the PATH
    as typed)."""
    flag = f"--changed-since {ref}"
    changed: set[str] = set()
    called: set[str] = set()
    trees: set[str] = set()
    unknown = False
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
        # `:<mode at REF> <mode now> <blob at REF> <blob now> <status>\0<path>\0` per file; untracked: no meta
        since = commit.decode().strip()
        try:
            raw = _git(flag, directory, "diff", "--raw", "--full-index", "--no-renames", "-z", since, *here)
            untracked = _git(flag, directory, "ls-files", "--others", "--exclude-standard", "--full-name", "-z", *here)
        except _Failed as exc:
            raise EnvironmentProblem(f"{flag}: git could not list the changes in {shown}: {exc}") from None
        fields = raw.split(b"\0")
        listed = [
            (meta.lstrip(b":").split(b" "), name) for meta, name in zip(fields[0:-1:2], fields[1::2], strict=True)
        ]
        listed += [([], name) for name in untracked.split(b"\0") if name]
        real_top, real_dir = os.path.realpath(top), os.path.realpath(directory)
        before: list[tuple[bytes, bytes, str]] = []
        for meta, name in listed:
            # git names files from the top of its work tree, which it resolved: re-spell each
            # under the directory as validate spells it, so it compares with discovery's paths
            below = os.path.relpath(os.path.join(real_top, os.fsdecode(name)), real_dir)
            if below != os.pardir and not below.startswith(os.pardir + os.sep):
                path = os.path.normpath(os.path.join(directory, below))
                changed.add(path)
                if meta and _SUBMODULE_MODE in (meta[0], meta[1]):
                    trees.add(path)
                if meta and meta[0] != b"000000":  # the file was there at REF
                    before.append((meta[0], meta[2], path))
        try:
            found, unreadable = _called_at_ref(flag, directory, before)
        except _Failed as exc:
            raise EnvironmentProblem(f"{flag}: git could not read the files of {shown} at REF: {exc}") from None
        called |= found
        unknown = unknown or unreadable
    return Changes(frozenset(changed), frozenset(called), unknown, frozenset(trees))
