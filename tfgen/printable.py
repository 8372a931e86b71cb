"""Text from files and file names, made safe to print: no control bytes, no terminal escapes.

A file name may hold any byte but `/` and NUL: ESC sequences that recolour or rewrite a
terminal, newlines that forge report lines, bidi overrides that reorder what a reviewer reads,
bytes that are not UTF-8 (Python keeps them as lone surrogates, which no encoder accepts) and
characters XML 1.0 forbids even escaped. `printable` writes every such character as a visible
Python-style escape (`\\n`, `\\x1b`, `\\u202e`; a byte that is not UTF-8 as `\\xff`), so the name
still identifies the file and the text stays one line.
"""

from __future__ import annotations

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    if ch in _SHORT:
        return _SHORT[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str) -> str:
    """`text` with every character that is not printable (Unicode categories C*, Z* but space) escaped."""
    if text.isprintable():  # the common case: nothing to do
        return text
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


def printable_or_none(text: str | None) -> str | None:
    return None if text is None else printable(text)
