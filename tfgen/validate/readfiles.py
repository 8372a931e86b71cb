"""Files a module's Terraform reads with `file()`, `templatefile()` or `filebase64()`.

A private key or token committed beside the Terraform and read with
`file("${path.module}/certs/x.key")` is as much in the repository as a literal, and neither
tfgen's Terraform scan nor checkov's secrets framework (by file extension) reads it. tfgen reads
each such file once, when the module-call groups are built (`groups.build`), so its bytes are
part of the group's cache key (a changed key file is a new verdict, never a stale one) and the
rule (`TFGEN_SECRETS_1`) scans exactly the bytes that were hashed.

The calls are those of the file's syntax tree (`tfgen.hcl.syntax`, `calls`): a name in a comment,
a string's or heredoc's text or a provider's namespace is no call, and a call is one however it is
spaced or broken over lines. A path known without evaluating anything is read: a literal under
`${path.module}/`, or under `${path.root}/`, the directory of the root module Terraform runs in: for a module no
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

import dataclasses
import fnmatch
import hashlib
import json
import os
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from tfgen.cache.keys import code_fingerprint, digest, file_digest
from tfgen.cache.store import Cache
from tfgen.errors import InputFileError
from tfgen.hcl.parsing import file_body
from tfgen.hcl.read import excerpt
from tfgen.hcl.syntax import (
    Call,
    Directive,
    GetAttr,
    HclExpressionError,
    Interpolation,
    Part,
    String,
    Text,
    Variable,
    attributes,
    parse_template,
    walk,
)
from tfgen.safe_read import NotRegularFileError, OutsideError, read_regular
from tfgen.validate.discover import OUTSIDE, Confinement, terraform_kind

FUNCTIONS = ("file", "templatefile", "filebase64")
# A key, certificate, template or policy is a few KiB; 1 MiB is the bound `file()` policies
# already had (policies.py). A larger file is reported as not scanned, with this limit.
MAX_READ_FILE_BYTES = 1024 * 1024
# git's own test for a binary file (xdiff's buffer_is_binary): a NUL byte in the first 8000 bytes.
# A zip or image read with filebase64() is not text a credential format can be found in.
BINARY_SNIFF_BYTES = 8000

# A call python-hcl2 reads is one of FUNCTIONS' names, then blanks, then `(`: its grammar allows
# nothing else between them (a comment or a newline there is a syntax error). A text where no such
# sequence stands after something other than a name's character holds no call, and is not parsed
# to look for one; any other text is, and the syntax tree says which of them are calls.
_MAY_CALL = re.compile(r"(?<![\w-])(?:file|templatefile|filebase64)[ \t\r]*\(")
# A JSON string token (`json.loads` has read the text already, so these are exactly its strings).
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
# The characters a literal path part may not hold to be read as written: `$`/`%` (an escaped
# `$${`/`%%{`), `\\` (an escape), a newline.
_NOT_AS_WRITTEN = frozenset('$%\\\n"')
_MACHINE_PATH = re.compile(r"[/~]|[A-Za-z]:")  # absolute, or from a home directory
# eks-blueprints' `for_each` over manifest files reads 7; a directory of more is not a file list.
MAX_PATTERN_FILES = 64


@dataclass(frozen=True)
class FileCall:
    """One call of a file-reading function in a Terraform file's text."""

    function: str
    offset: int  # of the function name in the text (in a `.tf.json` file, of the string holding the call)
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


# The content cache's namespace for a file's calls (`stored_calls`).
NAMESPACE = "file-calls"


def stored_calls(text: str, store: Cache | None, *, is_json: bool = False) -> tuple[FileCall, ...]:
    """`calls(text)`, through the content cache, keyed by the text's bytes and tfgen's code: the
    module-call groups read a file's calls on every run, before the group's cache entry can answer,
    and finding them parses the file: on alphagov/govuk-aws 81ee9f6e91fd (12 files with calls, 2,988
    lines) a warm run's CPU is 0.40 s with the calls cached, 0.63 s parsing those files again."""
    if store is None or (text, is_json) in _MEMO:
        return calls(text, is_json=is_json)
    key = digest(NAMESPACE, code_fingerprint(), is_json, file_digest(text.encode("utf-8")))
    value = store.get(NAMESPACE, key, _check_entry)
    if value is not None:
        return _remember(text, is_json, tuple(FileCall(*fields) for fields in value))
    found = calls(text, is_json=is_json)
    store.put(NAMESPACE, key, [list(dataclasses.astuple(call)) for call in found])
    return found


def _check_entry(value: Any) -> None:
    """Raise unless `value` is a list of FileCall fields (a cache entry may be damaged)."""
    if not isinstance(value, list):
        raise ValueError("not a list of calls")
    for fields in value:
        function, offset, relative, argument, base, pattern = fields
        if not (
            function in FUNCTIONS
            and isinstance(offset, int)
            and isinstance(argument, str)
            and base in ("module", "root")
            and all(v is None or isinstance(v, str) for v in (relative, pattern))
        ):
            raise ValueError("not a call")


def calls(text: str, *, is_json: bool = False) -> tuple[FileCall, ...]:
    """Every call of `FUNCTIONS` Terraform makes in a file's text, in source order, with the path it
    reads where known: the calls of its syntax tree (`tfgen.hcl.syntax`), so a name in a comment, in
    a string's or heredoc's text, or in a provider's namespace is none, and a call is one however it
    is spaced or broken over lines. A `.tf.json` file's calls are those of its strings' templates
    (the values of `"//"` comments left out), each at the offset of its string. A file that does not
    parse makes no call (it is a TFGEN_SYNTAX finding)."""
    if not is_json and _MAY_CALL.search(text) is None:
        return ()
    found = _MEMO.get((text, is_json))
    if found is None:
        found = _remember(text, is_json, _json_calls(text) if is_json else _hcl_calls(text))
    return found


# Each text's calls, once per process: the module-call groups read them before the rules do, from
# the same bytes. Emptied at MEMO_SIZE texts.
MEMO_SIZE = 1024
_MEMO: dict[tuple[str, bool], tuple[FileCall, ...]] = {}


def _remember(text: str, is_json: bool, found: tuple[FileCall, ...]) -> tuple[FileCall, ...]:
    if len(_MEMO) >= MEMO_SIZE:
        _MEMO.clear()
    _MEMO[(text, is_json)] = found
    return found


def clear_memo() -> None:
    """Forget every text's calls: the next read of each finds them afresh (or in the content cache)."""
    _MEMO.clear()


def _hcl_calls(text: str) -> tuple[FileCall, ...]:
    try:
        body = file_body(text, "")
    except InputFileError:  # the file's own parse reports it (TFGEN_SYNTAX, TFGEN_READ)
        return ()
    found: list[FileCall] = []
    for attribute in attributes(body):
        for node in walk(attribute.value):
            call = file_call(node, text) if isinstance(node, Call) else None
            if call is not None:
                found.append(call)
    return tuple(sorted(found, key=lambda call: call.offset))


def _json_calls(text: str) -> tuple[FileCall, ...]:
    try:
        document = json.loads(text, object_pairs_hook=lambda pairs: pairs)
    except (ValueError, RecursionError):
        return ()
    offsets = [match.start() for match in _JSON_STRING.finditer(text)]
    found: list[FileCall] = []
    for index, (value, read) in enumerate(_json_document(document)):
        if not read or _MAY_CALL.search(value) is None:
            continue
        try:
            parts = parse_template(value)
        except (HclExpressionError, RecursionError):
            continue
        for part in parts:
            if not isinstance(part, (Interpolation, Directive)) or part.expr is None:
                continue
            for node in walk(part.expr):
                call = file_call(node, value) if isinstance(node, Call) else None
                if call is not None:
                    found.append(replace(call, offset=offsets[index]))
    return tuple(found)


# Terraform's JSON syntax: how many label levels each block type has above its body. `"//"` is a
# comment in the root object, in a block type's label objects and in a block's body; inside an
# attribute's value it is a key like any other, its template evaluated (terraform console). A
# block type not listed is read as if its value were its body (a comment under a label it may
# have is then read: a file read too many, never one too few).
_JSON_LABELS = {
    "resource": 2,
    "data": 2,
    "ephemeral": 2,
    "module": 1,
    "provider": 1,
    "variable": 1,
    "output": 1,
    "check": 1,
}


def _json_document(document: Any) -> Iterator[tuple[str, bool]]:
    """Every string of a decoded `.tf.json` document (objects as lists of pairs), keys included, in
    the order they are written, and whether Terraform evaluates it as a template: not a `"//"`
    comment, nor a variable's default (taken literally)."""
    if not _is_object(document):
        yield from _json_strings(document, read=True)
        return
    for block_type, value in document:
        yield block_type, True
        yield from _json_block(value, block_type, _JSON_LABELS.get(block_type, 0), read=block_type != "//")


def _json_block(value: Any, block_type: str, labels: int, *, read: bool) -> Iterator[tuple[str, bool]]:
    if not _is_object(value):  # an array of blocks, or a value where a block goes
        for item in value if isinstance(value, list) else [value]:
            yield from (
                _json_block(item, block_type, labels, read=read)
                if isinstance(item, list)
                else _json_strings(item, read=read)
            )
        return
    for key, item in value:
        yield key, read
        comment = key == "//" or (block_type == "variable" and labels == 0 and key == "default")
        if labels > 0:
            yield from _json_block(item, block_type, labels - 1, read=read and not comment)
        else:
            yield from _json_strings(item, read=read and not comment)


def _is_object(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(p, tuple) for p in value)


def _json_strings(value: Any, *, read: bool) -> Iterator[tuple[str, bool]]:
    """Every string of a decoded JSON value (objects as lists of pairs), keys included, in the
    order they are written."""
    if isinstance(value, str):
        yield value, read
    elif _is_object(value):
        for key, item in value:
            yield key, read
            yield from _json_strings(item, read=read)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item, read=read)


def file_call(node: Call, text: str) -> FileCall | None:
    """`node` as a FileCall (spans index `text`) if it is a call of one of FUNCTIONS with an argument."""
    if node.name not in FUNCTIONS or node.namespace is not None or not node.args:
        return None
    first = node.args[0]
    argument = text[first.span[0] : first.span[1]]
    relative: str | None = None
    base, pattern = "module", None
    if isinstance(first, String) and not first.heredoc:
        relative, base = _static_path(first.parts)
        found = _pattern(first.parts) if relative is None else None
        if found is not None:
            base, pattern = found
    return FileCall(node.name, node.span[0], relative, argument, base, pattern)


def _static_path(parts: tuple[Part, ...]) -> tuple[str | None, str]:
    """(the path, its base) of a string that names one file: a relative literal (read from the root
    module's directory, as Terraform does), or a literal under `${path.module}/` or `${path.root}/`."""
    base = _path_base(parts[0]) if parts else None
    rest = parts[1:] if base is not None else parts
    if not rest or not all(isinstance(p, Text) for p in rest):
        return None, "module"
    written = "".join(p.text for p in rest if isinstance(p, Text))
    if _NOT_AS_WRITTEN.intersection(written):
        return None, "module"
    if base is None:
        if _MACHINE_PATH.match(written):
            return None, "module"
        relative, base = posixpath.normpath(written), "root"
    elif written.startswith("/") and written.strip("/"):
        relative = posixpath.normpath(written.lstrip("/"))  # `${path.module}//a` is `${path.module}/a` to the OS
    else:
        return None, "module"
    if relative.startswith("/") or relative == ".":
        return None, "module"
    return relative, base


def _path_base(part: Part) -> str | None:
    """ "module" or "root" for a `${path.module}` or `${path.root}` part, else None."""
    if not isinstance(part, Interpolation):
        return None
    expr = part.expr
    if isinstance(expr, GetAttr) and isinstance(expr.target, Variable) and expr.target.name == "path":
        return expr.name if expr.name in ("module", "root") else None
    return None


def _pattern(parts: tuple[Part, ...]) -> tuple[str, str] | None:
    """(base, glob) for a path that interpolates after `${path.module}/` or `${path.root}/`, where
    some part is static: each `${...}` stands for part of one path component (`*`)."""
    base = _path_base(parts[0]) if parts else None
    if base is None or len(parts) < 2 or not isinstance(parts[1], Text) or not parts[1].text.startswith("/"):
        return None
    pieces: list[str] = []
    for part in parts[1:]:
        if isinstance(part, Text) and not _NOT_AS_WRITTEN.intersection(part.text) and not set("{}") & set(part.text):
            pieces.append(part.text)
        elif isinstance(part, Interpolation):
            pieces.append("*")
        else:
            return None  # a directive, or text not read as written
    pattern = "".join(pieces)[1:]
    if not pattern or set(pattern) <= {"*", "/"} or any(c in pattern for c in "?["):
        return None  # `${x}` alone names any file at all; `?` and `[` are glob syntax of their own
    if any(part in ("", ".", "..") for part in pattern.split("/")):
        return None  # not followed out of or around the directory
    return base, pattern


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
    if argument.startswith('"') and "${" not in argument and not _MACHINE_PATH.match(argument, 1):
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
    directory: str,
    texts: list[tuple[str, bool]],
    inside: Confinement,
    into: dict[str, FileRead],
    roots: list[str],
    store: Cache | None = None,
) -> None:
    """Read every file the Terraform `texts` (text, is_json) of `directory` read at a static path,
    once each, into `into` (absolute path -> FileRead); `roots` are the directories `${path.root}`
    may be; `store`, the content cache the calls are kept in. Terraform files are not read again:
    they are scanned as Terraform."""
    for text, is_json in texts:
        if "file" not in text:
            continue
        for call in stored_calls(text, store, is_json=is_json):
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
