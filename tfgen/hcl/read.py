"""Read one Terraform file with python-hcl2: bytes -> text -> dict plus block line numbers.

Every reader in tfgen goes through `parse_text`/`read_file` so a file is decoded and parsed
exactly once and every failure becomes an `InputFileError` that names the file and line.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hcl2
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from tfgen.credentials import find_credentials
from tfgen.errors import HclSyntaxError, InputFileError
from tfgen.hcl import syntax
from tfgen.safe_read import DEFAULT_LIMIT, read_regular


@dataclass(frozen=True)
class Block:
    """A top-level block: `resource "aws_s3_bucket" "this"` has type "resource" and two labels."""

    type: str
    labels: tuple[str, ...]
    line: int
    end_line: int


@dataclass
class ParsedFile:
    path: str
    text: str
    data: dict[str, Any]
    blocks: list[Block] = field(default_factory=list)

    def line_of(self, block_type: str, *labels: str) -> int | None:
        """Line of the first top-level block with this type and label prefix."""
        for block in self.blocks:
            if block.type == block_type and block.labels[: len(labels)] == labels:
                return block.line
        return None


def decode(raw: bytes, path: str) -> str:
    """UTF-8 text, or an error naming the line of the first undecodable byte."""
    if b"\x00" in raw[:8192]:
        raise InputFileError(path, None, "binary file (NUL byte), not Terraform text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputFileError(path, line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})") from None


def read_bytes(path: Path | str, display: str, limit: int = DEFAULT_LIMIT, *, follow_symlinks: bool = True) -> bytes:
    """The file's bytes through `safe_read.read_regular` (never blocking on a FIFO, bounded).

    `follow_symlinks=False`: a symlink at `path` is refused, saying it appeared since the file
    was found (the only way one can be there when the caller found a regular file).
    """
    try:
        return read_regular(path, limit, follow_symlinks=follow_symlinks)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_symlinks:
            raise InputFileError(display, None, "replaced by a symlink since it was found: not read") from None
        raise InputFileError(display, None, f"cannot read: {exc.strerror or exc}") from None


def interpolation_end(text: str, start: int) -> int:
    """The index of the `}` that closes the `${` at `text[start]`, or len(text) when none does.

    Braces are counted and strings are not looked into, as in python-hcl2's serialized values."""
    depth, i = 0, start + 1
    while i < len(text):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return i


def bare_label(text: str) -> str:
    """A block label or key as python-hcl2 prints it (`"name"`), without its quotes."""
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def _label_text(label: Any) -> str:
    return bare_label(str(label.serialize()))


# A syntax message quotes at most this much of the file: enough to spot the mistake, never a
# whole heredoc (an unterminated one is a single token to the end of the file: 45 KB once).
EXCERPT_CHARS = 40
# Credentials are looked for this far past the excerpt, so one that starts inside it but ends
# after it is still recognised (the longest format tfgen knows, a token, is under 300 chars).
_MASK_WINDOW = 512
# An unquoted value, as in an AWS credentials file (`aws_secret_access_key = ...`): the detector
# recognises a bare AWS secret key only as a whole value.
_BARE_VALUE = re.compile(r"[A-Za-z0-9/+]+")


def masked(text: str) -> str:
    """`text` with every credential (`find_credentials`, as TFGEN_SECRETS_1) replaced by its kind."""
    spans = [(m.start, m.end, m.kind) for m in find_credentials(text)]
    for value in _BARE_VALUE.finditer(text):
        spans += [(value.start() + m.start, value.start() + m.end, m.kind) for m in find_credentials(value.group())]
    out: list[str] = []
    position = 0
    for start, end, kind in sorted(spans):
        if start < position:  # overlaps one already masked
            start = position
            if start >= end:
                continue
        out.append(text[position:start] + f"[redacted {kind}]")
        position = end
    out.append(text[position:])
    return "".join(out)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of the first line of `text`, at most `limit` characters, credentials masked."""
    first = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""
    window = masked(first[: limit + _MASK_WINDOW])
    return window if len(window) <= limit and len(first) <= limit + _MASK_WINDOW else window[:limit] + "..."


def _syntax_message(exc: Exception) -> tuple[int | None, str]:
    """The line and a one-line problem; file text appears only as an `excerpt`."""
    if isinstance(exc, UnexpectedToken):
        expected = ", ".join(sorted(exc.expected)[:6])
        got = excerpt(exc.token.value.strip()) if exc.token is not None else ""
        got = got or "end of file"
        return exc.line, f"unexpected {got!r}" + (f" (expected one of: {expected})" if expected else "")
    if isinstance(exc, UnexpectedCharacters):
        return exc.line, f"unexpected character {exc.char!r}"
    if isinstance(exc, UnexpectedEOF):
        return None, "unexpected end of file"
    if isinstance(exc, UnexpectedInput):
        return getattr(exc, "line", None), "invalid syntax"
    return None, excerpt(f"{type(exc).__name__}: {exc}", 160)


def _syntax_error(exc: Exception, text: str, path: str) -> HclSyntaxError:
    line, message = _syntax_message(exc)
    if line is None or line < 1:
        line = text.count("\n") + 1 if isinstance(exc, UnexpectedEOF) else None
    return HclSyntaxError(path, line, message)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the block, then on again if it was on.

    A python-hcl2 parse allocates lark's tree, python-hcl2's rule tree and the dict, all alive
    until the parse ends (1.3 million objects for bench/synth.py's 101 different files at scale 8),
    so the collector's passes, which run every 700 allocations and rescan the older generations as
    they grow, find next to nothing to free while it runs. Paused for each of those parses, their CPU goes
    from 7.65 s to 6.1 s and peak memory from 55 to 51 MB; the parse's cyclic garbage (~70,000
    objects per 2,500 lines) is freed by the passes that follow. Parses in threads at once: the
    one that paused it turns it on again when it ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_text(text: str, path: str) -> ParsedFile:
    """Parse HCL text; `path` is only used in messages and on the result."""
    with collector_paused():
        return _parse_text(text, path)


def _parse_text(text: str, path: str) -> ParsedFile:
    try:
        tree = hcl2.parses(text)
        data = hcl2.serialize(tree)
    except Exception as exc:  # python-hcl2 raises lark errors and plain ones alike
        raise _syntax_error(exc, text, path) from None
    blocks: list[Block] = []
    for child in tree.body.children:
        labels = getattr(child, "labels", None)
        meta = getattr(child, "_meta", None)
        if labels is None or meta is None or getattr(meta, "empty", True):
            continue
        names = [_label_text(label) for label in labels]
        blocks.append(Block(names[0], tuple(names[1:]), meta.line, meta.end_line))
    return ParsedFile(path=path, text=text, data=data, blocks=blocks)


def parse_body(text: str, path: str) -> syntax.Body:
    """The syntax tree of a whole HCL file (`tfgen.hcl.syntax`: blocks, attributes, expressions,
    spans indexing `text`), from one python-hcl2 parse; HclSyntaxError as `parse_text`."""
    try:
        with collector_paused():
            return syntax.file_body(hcl2.parses_to_tree(text), text)
    except Exception as exc:  # lark's errors, and HclExpressionError for an expression tfgen does not read
        raise _syntax_error(exc, text, path) from None


def parse_json_text(text: str, path: str) -> ParsedFile:
    """Terraform's JSON syntax (`.tf.json`) is read as JSON."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HclSyntaxError(path, exc.lineno, f"invalid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise HclSyntaxError(path, 1, "a .tf.json file must hold a JSON object")
    return ParsedFile(path=path, text=text, data=data)


def read_file(path: Path, display: str | None = None) -> ParsedFile:
    shown = display or str(path)
    text = decode(read_bytes(path, shown), shown)
    if path.name.endswith(".json"):
        return parse_json_text(text, shown)
    return parse_text(text, shown)
