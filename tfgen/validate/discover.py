"""Find the Terraform files under each PATH, and everything that must not be opened.

Reads nothing but directory entries and `stat`. Every entry that would make a reader hang or
crash (a FIFO, a dangling symlink, a symlink loop, a huge file) is recorded with a problem
instead, so the engine turns it into a finding and keeps checkov away from it: checkov's
secrets scanner blocks forever on a FIFO, and it does not follow directory symlinks.
"""

from __future__ import annotations

import errno
import os
import posixpath
import stat
from dataclasses import dataclass, field
from pathlib import Path

from tfgen.errors import UsageError

HCL_SUFFIXES = (".tf", ".tfvars")
JSON_SUFFIXES = (".tf.json", ".tfvars.json")
MAX_FILE_BYTES = 2 * 1024 * 1024  # python-hcl2 needs ~20 s for 2 MiB of HCL
# Non-Terraform files checkov's secrets framework scans are held in memory for checkov's copy;
# tfgen does not parse them, so the bound is only against a runaway file (safe_read's ceiling).
MAX_OTHER_FILE_BYTES = 16 * 1024 * 1024
SKIPPED_DIR_NAMES = frozenset({"node_modules"})  # plus every name starting with "." (as checkov does)
# Files checkov's secrets framework reads besides Terraform (checkov 3.3.30, secrets/runner.py:
# SUPPORTED_FILE_EXTENSIONS and Dockerfiles). Recorded so a checkov run over a copy of some
# directories (see `checkov_batches`) sees what a run over the tree would; a superset is harmless.
SECRETS_SUFFIXES = (".tf", ".yml", ".yaml", ".json", ".template", ".bicep", ".hcl")


def terraform_kind(name: str) -> str | None:
    """ "json" for Terraform's JSON syntax, "hcl" for native syntax, None for other files."""
    if name.endswith(JSON_SUFFIXES):
        return "json"
    if name.endswith(HCL_SUFFIXES):
        return "hcl"
    return None


def skipped_dir(name: str) -> bool:
    return name.startswith(".") or name in SKIPPED_DIR_NAMES


def secrets_scanned(name: str) -> bool:
    """Might checkov's secrets framework read a non-Terraform file with this name?"""
    return name.endswith(SECRETS_SUFFIXES) or "ockerfile" in name


@dataclass
class ScanRoot:
    arg: str  # the PATH as the user typed it
    directory: Path  # absolute; for a file PATH, its parent
    file: Path | None = None  # set when the PATH is one file
    prefix: str = ""  # prepended to `file` in findings when several PATHs are scanned

    def display(self, rel: str) -> str:
        return posixpath.join(self.prefix, rel) if self.prefix else rel


@dataclass
class Candidate:
    """One Terraform file (or an entry named like one)."""

    root: ScanRoot
    path: Path  # absolute, not resolved
    rel: str  # posix, relative to root.directory
    kind: str  # "hcl" | "json"
    size: int = 0
    problem: str | None = None  # why it cannot be read; None when it can
    target: str = ""  # what to open, never following a link there: see `reading_path`

    @property
    def display(self) -> str:
        return self.root.display(self.rel)


@dataclass
class Note:
    """Something found while walking that is not a Terraform file but deserves a line."""

    root: ScanRoot
    rel: str
    message: str
    failed: bool  # True: a failed finding (the tree was not fully read); False: skipped


@dataclass
class OtherFile:
    """A regular file that is not Terraform but that checkov's secrets framework may scan."""

    root: ScanRoot
    path: Path  # absolute, not resolved
    rel: str
    size: int
    target: str = ""  # what to open, never following a link there: see `reading_path`


@dataclass
class Discovery:
    roots: list[ScanRoot]
    inside: Confinement = field(default_factory=lambda: Confinement([], []))
    candidates: list[Candidate] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    checkov_excludes: list[Path] = field(default_factory=list)  # absolute paths checkov must not open
    others: list[OtherFile] = field(default_factory=list)  # see `secrets_scanned`
    empty: list[ScanRoot] = field(default_factory=list)  # PATHs without a Terraform file (with `allow_empty`)

    def readable(self) -> list[Candidate]:
        return [c for c in self.candidates if c.problem is None]


@dataclass
class Confinement:
    """What may be read: files under a directory PATH, or a file PATH itself, once symlinks are resolved.

    A symlink or a module source may point anywhere (`~/.aws/credentials`, `../../../x`); what
    lies outside the PATHs the user gave is neither read nor reported, only listed as skipped.
    """

    directories: list[str]  # resolved directory PATHs, each ending with os.sep
    files: list[str]  # resolved file PATHs

    @classmethod
    def of(cls, roots: list[ScanRoot]) -> Confinement:
        directories = [os.path.join(os.path.realpath(r.directory), "") for r in roots if r.file is None]
        return cls(directories, [os.path.realpath(r.file) for r in roots if r.file is not None])

    def holds(self, path: Path | str) -> bool:
        real = os.path.realpath(path)
        return real in self.files or any(os.path.join(real, "").startswith(d) for d in self.directories)


OUTSIDE = "outside the scanned paths: not read"


def reading_path(path: Path) -> str:
    """What the engine opens, with O_NOFOLLOW, to read the file discovery saw at `path`.

    A regular file is opened at its own path; a symlink discovery accepted as inside the PATHs
    at the target it resolved to then. Either way the read follows no link in its last
    component, so a link swapped in after discovery (to `~/.aws/credentials`, say) is refused
    (ELOOP), never followed.
    """
    return os.path.realpath(path) if os.path.islink(path) else str(path)


def _kind_of_mode(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _dangling(path: Path) -> str:
    """Names the missing target only when it is relative: a report carries no absolute path."""
    if not os.path.islink(path):
        return "dangling symlink to nothing"
    target = os.readlink(path)
    return "dangling symlink to an absolute path" if os.path.isabs(target) else f"dangling symlink to {target}"


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def make_roots(paths: list[str]) -> list[ScanRoot]:
    """Check each PATH exists and is a directory or a Terraform file; usage errors otherwise."""
    if not paths:
        paths = ["."]
    roots: list[ScanRoot] = []
    for arg in paths:
        path = Path(arg)
        try:
            st = path.stat()
        except FileNotFoundError:
            raise UsageError(f"path not found: {arg}") from None
        except OSError as exc:
            raise UsageError(f"cannot read path {arg}: {exc.strerror or exc}") from None
        absolute = Path(os.path.abspath(path))
        if stat.S_ISDIR(st.st_mode):
            roots.append(ScanRoot(arg, absolute))
        elif stat.S_ISREG(st.st_mode):
            if terraform_kind(path.name) is None:
                raise UsageError(f"not a Terraform file (.tf, .tfvars, .tf.json): {arg}")
            roots.append(ScanRoot(arg, absolute.parent, file=absolute))
        else:
            raise UsageError(f"not a directory or regular file: {arg} ({_kind_of_mode(st.st_mode)})")
    if len(roots) > 1:
        for root in roots:
            shown = Path(root.arg).parent if root.file else Path(root.arg)
            prefix = posixpath.normpath(shown.as_posix())
            root.prefix = "" if prefix == "." else prefix
    return roots


def discover(paths: list[str], max_file_bytes: int = MAX_FILE_BYTES, *, allow_empty: bool = False) -> Discovery:
    """Every Terraform file under `paths`; a PATH without one is a UsageError, or listed in `empty`."""
    roots = make_roots(paths)
    found = Discovery(roots, Confinement.of(roots))
    seen: set[str] = set()
    for root in roots:
        if root.file is not None:
            count = int(_consider_file(found, root, root.file, root.file.name, seen, max_file_bytes))
        else:
            count = _walk(found, root, seen, max_file_bytes)
        if count == 0 and not any(n.root is root for n in found.notes):
            if not allow_empty:
                raise UsageError(f"no Terraform files (.tf, .tfvars, .tf.json) under {root.arg}")
            found.empty.append(root)
    return found


def _consider_file(found: Discovery, root: ScanRoot, path: Path, rel: str, seen: set[str], limit: int) -> bool:
    """Record one entry; True if it is (named like) a Terraform file."""
    kind = terraform_kind(path.name)
    if path != root.file and os.path.islink(path) and (kind is not None or secrets_scanned(path.name)):
        if os.path.lexists(os.path.realpath(path)) and not found.inside.holds(path):
            found.notes.append(
                Note(root, rel, f"symlink to a file {OUTSIDE} (pass its target as a PATH to check it)", failed=False)
            )
            found.checkov_excludes.append(path)
            return kind is not None
    try:
        st = os.stat(path)  # follows symlinks
    except OSError as exc:
        if kind is None:
            return False
        if exc.errno == errno.ELOOP:
            problem = "symlink loop: the link never resolves to a file"
        elif exc.errno == errno.ENOENT:
            problem = _dangling(path)
        else:
            problem = f"cannot read: {exc.strerror or exc}"
        found.candidates.append(Candidate(root, path, rel, kind, problem=problem))
        found.checkov_excludes.append(path)
        return True
    if not stat.S_ISREG(st.st_mode):
        found.checkov_excludes.append(path)
        if kind is not None:
            found.candidates.append(
                Candidate(root, path, rel, kind, problem=f"{_kind_of_mode(st.st_mode)}, not a regular file")
            )
        return kind is not None
    if kind is None:
        if secrets_scanned(path.name):
            found.others.append(OtherFile(root, path, rel, st.st_size, reading_path(path)))
        return False
    real = os.path.realpath(path)
    if real in seen:
        return True
    seen.add(real)
    candidate = Candidate(root, path, rel, kind, size=st.st_size, target=reading_path(path))
    if st.st_size > limit:
        candidate.problem = f"file too large to check ({_size_text(st.st_size)}; the limit is {_size_text(limit)})"
        found.checkov_excludes.append(path)
    found.candidates.append(candidate)
    return True


def _walk(found: Discovery, root: ScanRoot, seen: set[str], limit: int) -> int:
    """Walk one directory PATH; returns how many Terraform entries it holds."""
    count = 0
    stack: list[tuple[Path, str]] = [(root.directory, "")]
    while stack:
        directory, rel_dir = stack.pop()
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            found.notes.append(Note(root, rel_dir or ".", f"cannot list directory: {exc.strerror or exc}", failed=True))
            continue
        subdirs: list[tuple[Path, str]] = []
        for entry in entries:
            rel = posixpath.join(rel_dir, entry.name) if rel_dir else entry.name
            path = Path(entry.path)
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_link, is_dir = False, False
            if is_dir:
                if not skipped_dir(entry.name):
                    subdirs.append((path, rel))
                continue
            if is_link and not skipped_dir(entry.name):
                try:
                    target_is_dir = stat.S_ISDIR(os.stat(path).st_mode)
                except OSError as exc:
                    target_is_dir = False
                    if exc.errno == errno.ELOOP and terraform_kind(entry.name) is None:
                        # It might have been a directory of Terraform files: say so, loudly.
                        found.notes.append(
                            Note(
                                root,
                                rel,
                                "symlink loop: the link never resolves; whatever it was meant to point to was not "
                                "checked",
                                failed=True,
                            )
                        )
                        found.checkov_excludes.append(path)
                        continue
                if target_is_dir:
                    real = os.path.realpath(path)
                    here = os.path.realpath(directory)
                    if here == real or here.startswith(real.rstrip(os.sep) + os.sep):
                        message = (
                            "symlink loop: this directory link points to "
                            f"{'itself' if here == real else 'an ancestor'} and was not followed"
                        )
                        found.notes.append(Note(root, rel, message, failed=True))
                    else:
                        message = (
                            "symlinked directory not followed (checkov does not follow it either); pass its "
                            "target as a PATH to check it"
                        )
                        found.notes.append(Note(root, rel, message, failed=False))
                    continue
            count += _consider_file(found, root, path, rel, seen, limit)
        stack.extend(reversed(subdirs))
    return count


def add_called_directory(found: Discovery, root: ScanRoot, directory: Path, limit: int = MAX_FILE_BYTES) -> None:
    """Record the files of a called module's directory that the walk skipped (under a hidden
    directory or `node_modules`), as Terraform loads them: that directory's own entries only.

    Terraform and checkov load a called module wherever it is; tfgen judges it like the rest of
    the tree. Its files are found exactly as the walk finds files, by `stat` and name.
    """
    seen = {os.path.realpath(c.path) for c in found.candidates}
    try:
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        rel = posixpath.relpath(directory.as_posix(), root.directory.as_posix())
        found.notes.append(Note(root, rel, f"called module: cannot list directory: {exc.strerror or exc}", failed=True))
        return
    for entry in entries:
        try:
            if entry.is_dir():
                continue  # a module's subdirectories are its own calls' business
        except OSError:
            pass
        path = Path(entry.path)
        _consider_file(found, root, path, posixpath.relpath(path.as_posix(), root.directory.as_posix()), seen, limit)


def _identity(path: Path | str) -> tuple[str, tuple[int, int] | None]:
    """(resolved path, (device, inode)): two spellings, a symlink or a hard link of one file agree on one."""
    try:
        info = os.stat(path)
        inode: tuple[int, int] | None = (info.st_dev, info.st_ino)
    except OSError:
        inode = None
    return os.path.realpath(path), inode


def scanned_file_at(discovery: Discovery, path: Path) -> Candidate | None:
    """The Terraform file (read or not) that writing to `path` would overwrite, if any."""
    real, inode = _identity(path)
    for candidate in discovery.candidates:
        other_real, other_inode = _identity(candidate.path)
        if real == other_real or (inode is not None and inode == other_inode):
            return candidate
    return None
