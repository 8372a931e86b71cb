"""Files a module's Terraform reads with `file()`, `templatefile()` or `filebase64()`.

A private key or token committed beside the Terraform and read with
`file("${path.module}/certs/x.key")` is as much in the repository as a literal, and neither
tfgen's Terraform scan nor checkov's secrets framework (by file extension) reads it. tfgen reads
each such file once, when the module-call groups are built (`groups.build`), so its bytes are
part of the group's cache key (a changed key file is a new verdict, never a stale one) and the
rule (`TFGEN_SECRETS_1`) scans exactly the bytes that were hashed.

A path known without evaluating anything is read: a literal under `${path.module}/`, or
under `${path.root}/`, the directory of the root module Terraform runs in: for a module no
scanned module calls, its own directory; for a called one, the directory of each module at the
top of its callers (a module called from two roots reads two files, so both are scanned). A
relative literal (`file("certs/x.key")`, `file("./files/y")`, `file("../assets/buildspec.yml")`)
is resolved as Terraform resolves it, from its working directory, which is that root module's
directory: it is read as `${path.root}/...` is. An absolute path, `path.cwd`, variables and
functions name places tfgen cannot know; such a call is reported as not scanned, never guessed at.
A path that interpolates only after `${path.module}/` or `${path.root}/` and keeps a static
directory or name part (`"${path.module}/policies/${each.key}.json"`, the shape of a `for_each`
over file names) may name any file its pattern matches, each `${...}` standing for part of one
path component: every such file is read (at most `MAX_PATTERN_FILES`, without entering a link to a
directory), so the rule scans every file the call may read.
Confinement is `tfgen validate`'s: nothing outside the scanned PATHs (a `../..` walk, a symlink
out), a link resolved when read and never followed in its last component afterwards, a regular file
of at most `MAX_READ_FILE_BYTES`, never blocking.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from tfgen.hcl.read import excerpt
from tfgen.safe_read import NotRegularFileError, OutsideError, read_regular
from tfgen.validate.discover import OUTSIDE, Confinement, terraform_kind

FUNCTIONS = ("file", "templatefile", "filebase64")
# A key, certificate, template or policy is a few KiB; 1 MiB is the bound `file()` policies
# already had (policies.py). A larger file is reported as not scanned, with this limit.
MAX_READ_FILE_BYTES = 1024 * 1024
# git's own test for a binary file (xdiff's buffer_is_binary): a NUL byte in the first 8000 bytes.
# A zip or image read with filebase64() is not text a credential format can be found in.
BINARY_SNIFF_BYTES = 8000

_CALL = re.compile(r"(?<![\w.])(file|templatefile|filebase64)\(\s*")
_STATIC_PATH = re.compile(r'"\$\{\s*path\.(module|root)\s*\}/([^"$%\\\n]+)"')
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
# A quoted relative path without interpolation or escapes (`"templates/x.tpl"`, `"../a/b.yml"`);
# `%` and `\\` are left out as in _STATIC_PATH (the text would not be the path read).
_RELATIVE_LITERAL = re.compile(r'"(?![/~])(?![A-Za-z]:)[^"$%\\\n]+"')
_MACHINE_PATH = re.compile(r'"(?:[/~]|[A-Za-z]:)')  # absolute, or from a home directory
# A path interpolating after `${path.module}/` or `${path.root}/` (no `%{` directive, no escape).
_PATTERN_PATH = re.compile(r'"\$\{\s*path\.(module|root)\s*\}/((?:[^"$%\\\n{}]|\$\{[^{}"\n]*\})+)"')
_INTERPOLATION = re.compile(r"\$\{[^{}\n]*\}")
# eks-blueprints' `for_each` over manifest files reads 7; a directory of more is not a file list.
MAX_PATTERN_FILES = 64


@dataclass(frozen=True)
class FileCall:
    """One call of a file-reading function in a Terraform file's text."""

    function: str
    offset: int  # of the function name in the text
    relative: str | None  # the path under `${path.module}` or `${path.root}`, posix; None when not known statically
    argument: str  # the first argument as written (up to its closing quote), for messages
    base: str = "module"  # which directory `relative` (or `pattern`) is under: "module" or "root"
    pattern: str | None = None  # where `relative` is None: the files the path may name (`policies/*.json`)

    def line(self, text: str) -> int:
        return text.count("\n", 0, self.offset) + 1


@dataclass(frozen=True)
class FileRead:
    """What reading one referenced file gave: its bytes, or why it was not read."""

    data: bytes | None
    problem: str | None = None  # "binary file ...", "outside the scanned paths ...", ...
    pattern: bool = False  # the entry of a pattern (`certs/*.key`), saying how many files it matched: not a file

    @property
    def fingerprint(self) -> str:
        """Its part of a cache key: the bytes' digest, or the problem (a file that stays unreadable
        keeps its verdict whatever its bytes)."""
        if self.data is not None:
            return hashlib.sha256(self.data).hexdigest()
        return f"unread:{self.problem}"


def calls(text: str, *, is_json: bool = False) -> Iterator[FileCall]:
    """Every call of `FUNCTIONS` outside a comment line, with the path it reads where known."""
    if is_json:  # `"${file(\"${path.module}/x.key\")}"`: the same call once unescaped (no newline is added)
        text = text.replace('\\"', '"')
    for match in _CALL.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if text[line_start : match.start()].lstrip().startswith(("#", "//")):
            continue
        rest = text[match.end() : match.end() + 1024]
        literal = _STRING.match(rest)
        argument = literal.group(0) if literal else rest.split(",", 1)[0].split(")", 1)[0].strip()
        if not argument:
            continue  # `file()` in prose (a JSON "//" comment): no call Terraform would make
        static = _STATIC_PATH.fullmatch(argument) if literal else None
        base = static.group(1) if static else "module"
        relative = posixpath.normpath(static.group(2)) if static else None
        if literal and static is None and _RELATIVE_LITERAL.fullmatch(argument):
            # Terraform reads a relative path from its working directory, the root module's
            relative, base = posixpath.normpath(argument[1:-1]), "root"
        if relative is not None and (relative.startswith("/") or relative == "."):
            relative = None
        pattern = None
        found = _pattern(argument) if literal and relative is None else None
        if found is not None:
            base, pattern = found
        yield FileCall(match.group(1), match.start(), relative, argument, base, pattern)


def _pattern(argument: str) -> tuple[str, str] | None:
    """(base, glob) for a path that interpolates after its static start, where some part is static."""
    match = _PATTERN_PATH.fullmatch(argument)
    if match is None:
        return None
    pattern = _INTERPOLATION.sub("*", match.group(2))
    if set(pattern) <= {"*", "/"} or any(c in pattern for c in "?["):
        return None  # `${x}` alone names any file at all; `?` and `[` are glob syntax of their own
    if any(part in ("", ".", "..") for part in pattern.split("/")):
        return None  # not followed out of or around the directory
    return match.group(1), pattern


def pattern_matches(pattern_target: str, paths: Iterator[str] | list[str]) -> list[str]:
    """The `paths` (absolute) a pattern target (`target(base, call.pattern)`) matches, `*` within one component."""
    parts = pattern_target.split(os.sep)
    return sorted(
        p
        for p in paths
        if len(p.split(os.sep)) == len(parts)
        and all(fnmatch.fnmatchcase(a, b) for a, b in zip(p.split(os.sep), parts, strict=True))
    )


def unknown_reason(call: FileCall) -> str:
    """Why the file a call reads was not scanned, when its path is not known statically."""
    argument = call.argument
    # quoted as TFGEN_SYNTAX quotes file text (at most 40 characters, credentials masked): a token
    # pasted where a path belongs must not reach every report
    shown = excerpt(argument)
    if argument.startswith('"') and "${" not in argument and not _MACHINE_PATH.match(argument):
        return f"not scanned: {call.function}({shown}): a path written with `%` or an escape is not read as written"
    if argument.startswith('"') and "${" not in argument:
        return (
            f"not scanned: {call.function}({shown}) names a place on the machine that runs Terraform, not one "
            'in the scanned tree; write "${path.module}/..." to have it scanned'
        )
    return f"not scanned: {call.function}() reads a path tfgen cannot know without evaluating {shown}"


def target(directory: str, relative: str) -> str:
    """The absolute path a `${path.module}/relative` call in `directory` reads (not resolved)."""
    return os.path.normpath(os.path.join(directory, relative))


def targets(call: FileCall, directory: str, roots: list[str]) -> list[str]:
    """The absolute paths a call with a static path reads (or, with a pattern, the patterns it
    reads: `pattern_matches`): under the module's `directory`, or under each of its `roots`
    (`groups.root_directories`) for `${path.root}/`."""
    relative = call.relative if call.relative is not None else call.pattern
    assert relative is not None
    bases = [directory] if call.base == "module" else roots
    return [target(base, relative) for base in bases]


def _listed(pattern_target: str, inside: Confinement) -> list[str] | None:
    """The files a pattern target matches on disk, walking one component at a time inside the
    confinement and never into a link to a directory; None where more than MAX_PATTERN_FILES do."""
    head, *parts = pattern_target.split(os.sep)
    found = [head or os.sep]
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        following: list[str] = []
        for directory in found:
            if "*" not in part:
                following.append(os.path.join(directory, part))
                continue
            if not inside.holds(directory) or os.path.islink(directory):
                continue
            try:
                with os.scandir(directory) as entries:
                    names = [
                        e.name
                        for e in entries
                        if fnmatch.fnmatchcase(e.name, part) and (last or e.is_dir(follow_symlinks=False))
                    ]
            except OSError:
                continue
            following.extend(os.path.join(directory, name) for name in sorted(names))
            if len(following) > MAX_PATTERN_FILES:
                return None
        found = following
    return [p for p in found if os.path.lexists(p)]


def read_referenced(path: str, inside: Confinement) -> FileRead:
    """Read one referenced file under `tfgen validate`'s confinement (see the module docstring)."""
    if not inside.holds(path):
        return FileRead(None, f"{OUTSIDE} (pass its directory as a PATH to scan it)")
    try:  # what is opened is checked again: a link swapped in after this check is never read through
        data = read_regular(os.path.realpath(path), MAX_READ_FILE_BYTES, follow_symlinks=False, within=inside.holds)
    except OutsideError:
        return FileRead(None, f"{OUTSIDE} (a link swapped in while tfgen read it)")
    except FileNotFoundError:
        return FileRead(None, "no such file")
    except NotRegularFileError as exc:
        return FileRead(None, str(exc.strerror))
    except OSError as exc:
        return FileRead(None, f"cannot read: {exc.strerror or exc}")
    if b"\0" in data[:BINARY_SNIFF_BYTES]:
        return FileRead(None, "binary file (a NUL byte in its first 8000 bytes, as git decides)")
    return FileRead(data)


def read_module_files(
    directory: str, texts: list[tuple[str, bool]], inside: Confinement, into: dict[str, FileRead], roots: list[str]
) -> None:
    """Read every file the Terraform `texts` (text, is_json) of `directory` read at a static path,
    once each, into `into` (absolute path -> FileRead); `roots` are the directories `${path.root}`
    may be. Terraform files are not read again: they are scanned as Terraform."""
    for text, is_json in texts:
        if "file" not in text:
            continue
        for call in calls(text, is_json=is_json):
            if call.relative is None and call.pattern is None:
                continue
            for path in targets(call, directory, roots):
                if call.pattern is not None and path not in into:
                    listed = _listed(path, inside)
                    problem = f"more than {MAX_PATTERN_FILES} files match" if listed is None else f"{len(listed)} match"
                    into[path] = FileRead(None, problem, pattern=True)  # in the cache key, as each file it matches is
                    for each in listed or ():
                        if each not in into and terraform_kind(each) is None:
                            into[each] = read_referenced(each, inside)
                elif path not in into and terraform_kind(path) is None:
                    into[path] = read_referenced(path, inside)
