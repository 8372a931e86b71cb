"""Text that has broken HCL renderers: shared by the key, quoting and answers tests."""

from __future__ import annotations

# Tag keys AWS accepts that are not plain HCL identifiers, are HCL keywords, or collide with
# python-hcl2's own markers (`__is_block__`).
HOSTILE_KEYS = [
    "for",
    "if",
    "in",
    "else",
    "endif",
    "endfor",
    "true",
    "false",
    "null",
    "__is_block__",
    "__start_line__",
    "9lives",
    "-x",
    "a b",
    "a:b",
    "a/b",
    "a.b",
    "a=b",
    "a+b",
    "a@b",
    "_",
]

# Pieces of values: template sequences, escapes, quotes, line breaks, non-ASCII, controls.
HOSTILE_FRAGMENTS = [
    '"',
    "\\",
    "${",
    "%{",
    "$${",
    "%%{",
    "}",
    "$",
    "%",
    "{",
    "\n",
    "\r",
    "\t",
    "\x00",
    "\x7f",
    "é",
    "e\u0301",
    "😀",
    "\u2028",
    "\u202e",
    "~}",
    "${var.x}",
    "%{ if true }",
    "\\u0041",
    " ",
    "a",
]
