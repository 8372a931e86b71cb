"""The one way a Python value becomes HCL text, and the inverse for string literals.

Every user value reaches a blueprint through `to_hcl` (the Jinja filter `hcl`), and every user
value that becomes an object key through `quote_key` (the filter `hcl_key`, which `to_hcl` uses
for map keys), so quoting rules live in exactly one place. `unquote` decodes what python-hcl2
8.x hands back (it keeps the quotes and escapes of string literals), which lets tfgen compare
parsed files with the values it meant to write.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNESCAPES = {'"': '"', "\\": "\\", "n": "\n", "r": "\r", "t": "\t"}
# HCL's identifier (ASCII part): a letter or `_`, then letters, digits, `_` and `-`.
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
# Words HCL's expression grammar gives a meaning: Terraform reads `{ for = "x" }` as the start of a
# for expression and stops ("For expression requires variable name after 'for'"), and `null`, `true`,
# `false` bare are values, not names. A key spelled like one of them is always quoted.
HCL_KEYWORDS = frozenset({"for", "in", "if", "else", "endif", "endfor", "true", "false", "null"})
# python-hcl2 marks blocks and lines with bare `__...__` keys in its output; a bare user key of
# that shape would be read as its marker and dropped from the parse, so such keys are quoted.
PARSER_MARKER_PREFIX = "__"


def quote(value: str) -> str:
    """Return an HCL quoted-string literal whose value is exactly `value`.

    Template sequences are escaped so user text can never become an interpolation or a
    directive: `${` -> `$${` (the idiomatic form), or `$\\u007b` where no `}` follows,
    because python-hcl2 8.x lexes `$${` only when a `}` comes later. Terraform reads both
    as the literal `${`; likewise for `%{`.
    """
    out: list[str] = ['"']
    i = 0
    while i < len(value):
        ch = value[i]
        if ch in "$%" and value.startswith("{", i + 1):
            out.append(ch + ch + "{" if "}" in value[i + 2 :] else ch + "\\u007b")
            i += 2
            continue
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
        i += 1
    out.append('"')
    return "".join(out)


def unquote(literal: str) -> str:
    """Decode an HCL quoted-string literal (with its quotes) to its value.

    Raises ValueError for text that is not a single literal without interpolation.
    """
    if len(literal) < 2 or literal[0] != '"' or literal[-1] != '"':
        raise ValueError(f"not a quoted HCL string: {literal!r}")
    body = literal[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            nxt = body[i + 1 : i + 2]
            if nxt in _UNESCAPES:
                out.append(_UNESCAPES[nxt])
                i += 2
            elif nxt in ("u", "U"):
                width = 4 if nxt == "u" else 8
                digits = body[i + 2 : i + 2 + width]
                if len(digits) != width:
                    raise ValueError(f"short unicode escape in {literal!r}")
                out.append(chr(int(digits, 16)))
                i += 2 + width
            else:
                raise ValueError(f"unknown escape \\{nxt} in {literal!r}")
        elif body.startswith(("$${", "%%{"), i):
            out.append(ch + "{")
            i += 3
        elif body.startswith(("${", "%{"), i):
            raise ValueError(f"template sequence in {literal!r}")
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def is_bare_key(name: str) -> bool:
    """May `name` be written as a bare object key that Terraform and python-hcl2 both read as `name`?"""
    return bool(IDENTIFIER.fullmatch(name)) and name not in HCL_KEYWORDS and not name.startswith(PARSER_MARKER_PREFIX)


def quote_key(name: str) -> str:
    """An HCL object key whose name is exactly `name`; the Jinja filter `hcl_key`.

    Bare when it is a plain identifier (as `terraform fmt` would show it), quoted otherwise,
    with the same escapes as any value, so a key can never be a keyword, an expression or a template.
    """
    return name if is_bare_key(name) else quote(name)


def to_hcl(value: Any, indent: int = 0) -> str:
    """Render a Python value as an HCL expression; the Jinja filter `hcl`.

    Maps are written with sorted keys and aligned `=` like `terraform fmt`; `indent` is the
    column of the line the expression starts on, so nested lines line up.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("HCL has no NaN or infinity")
        return repr(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        keys = sorted(value)
        rendered = {k: quote_key(str(k)) for k in keys}
        width = max(len(r) for r in rendered.values())
        pad = " " * (indent + 2)
        lines = [f"{pad}{rendered[k].ljust(width)} = {to_hcl(value[k], indent + 2)}" for k in keys]
        return "{\n" + "\n".join(lines) + "\n" + " " * indent + "}"
    if isinstance(value, Sequence):
        items = [to_hcl(v, indent) for v in value]
        return "[" + ", ".join(items) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as HCL")
