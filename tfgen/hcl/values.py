"""python-hcl2 8.x values -> plain Python values that rules can reason about.

python-hcl2 keeps string literals quoted ('"abc"'), writes every other expression as
'${...}' text and heredocs as '"<<EOT\\n...\\nEOT"'. `normalise` turns that into:

- str, int, float, bool, None, list, dict for literals (object expressions inside `${...}`
  such as `jsonencode({...})` are parsed too, so a policy reads the same whether it is
  written with `jsonencode`, a heredoc or a JSON string);
- `Template(text)` for a string with interpolations (`"${var.a}-x"`, a heredoc with `${}`);
- `Expr(text)` for anything tfgen does not evaluate (references, function calls, ...).

Blocks stay dicts (nested blocks are lists of dicts); the `__is_block__` and `__comments__`
markers are dropped. The same shapes come out of `.tf.json` files via `normalise_json`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tfgen.hcl.quote import unquote

if TYPE_CHECKING:
    from tfgen.hcl.read import Block, ParsedFile

__all__ = ["Expr", "Template", "heredoc_text", "normalise", "normalise_json", "parse_expression", "references"]


@dataclass(frozen=True)
class Expr:
    """An expression tfgen does not evaluate, as HCL text (without `${ }`)."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Template:
    """A string with `${...}` interpolations or `%{...}` directives (text without quotes)."""

    text: str

    def __str__(self) -> str:
        return self.text

    def literal_parts(self) -> list[str]:
        """The text outside interpolation sequences."""
        parts: list[str] = []
        i, start = 0, 0
        text = self.text
        while i < len(text):
            if text.startswith(("$${", "%%{"), i):
                i += 3
                continue
            if text.startswith(("${", "%{"), i):
                parts.append(text[start:i])
                i = skip_braces(text, i + 1)
                start = i
                continue
            i += 1
        parts.append(text[start:])
        return [p for p in parts if p]


_HEREDOC_HEAD = re.compile(r'^"<<(-?)([A-Za-z_][A-Za-z0-9_]*)\n')


def heredoc_text(raw: str) -> str | None:
    """The body of a heredoc as python-hcl2 serialises it, or None if `raw` is not one."""
    match = _HEREDOC_HEAD.match(raw)
    if not match or not raw.endswith('"'):
        return None
    body = raw[match.end() : -1]
    marker = match.group(2)
    lines = body.split("\n")
    if lines and lines[-1].strip() == marker:
        lines = lines[:-1]
    if match.group(1):  # <<- strips the smallest indentation
        indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
        cut = min(indents) if indents else 0
        lines = [line[cut:] for line in lines]
    return "\n".join(lines) + ("\n" if lines else "")


def _has_template(text: str) -> bool:
    return bool(re.search(r"(?<![$%])[$%]\{", text.replace("$${", "").replace("%%{", "")))


def string_value(raw: str) -> Any:
    body = heredoc_text(raw)
    if body is not None:
        return Template(body) if _has_template(body) else body.replace("$${", "${").replace("%%{", "%{")
    try:
        return unquote(raw)
    except ValueError:
        return Template(raw[1:-1])


def normalise(value: Any) -> Any:
    """One python-hcl2 8.x value (attribute value or block body) as plain Python."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
            return string_value(value)
        if value.startswith("${") and value.endswith("}") and skip_braces(value, 1) == len(value):
            return parse_expression(value[2:-1])
        return parse_expression(value)
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in ("__is_block__", "__comments__", "__inline_comments__"):
                continue
            out[_key(key)] = normalise(item)
        return out
    return Expr(str(value))


def _key(key: Any) -> str:
    text = str(key)
    if len(text) >= 2 and text[0] == text[-1] == '"':
        try:
            return unquote(text)
        except ValueError:
            return text[1:-1]
    return text


def normalise_json(value: Any) -> Any:
    """A value from a `.tf.json` file: strings with `${...}` become templates/expressions."""
    if isinstance(value, str):
        if "${" in value or "%{" in value:
            if value.startswith("${") and value.endswith("}") and skip_braces(value, 1) == len(value):
                return parse_expression(value[2:-1])
            return Template(value)
        return value
    if isinstance(value, list):
        return [normalise_json(v) for v in value]
    if isinstance(value, dict):
        return {k: normalise_json(v) for k, v in value.items() if k != "//"}
    return value


# --- a small, tolerant HCL expression reader -------------------------------------------------

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")
_OPEN = {"(": ")", "[": "]", "{": "}"}


def skip_string(text: str, i: int) -> int:
    """`text[i]` is an opening quote; return the index after the closing quote."""
    i += 1
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == '"':
            return i + 1
        if text.startswith(("${", "%{"), i) and not text.startswith(("$${", "%%{"), i - 1 if i else 0):
            i = skip_braces(text, i + 1)
            continue
        i += 1
    return len(text)


def skip_braces(text: str, i: int) -> int:
    """`text[i]` opens a bracket; return the index after its match (strings respected)."""
    stack = [_OPEN.get(text[i], "}")]
    i += 1
    while i < len(text) and stack:
        ch = text[i]
        if ch == '"':
            i = skip_string(text, i)
            continue
        if text.startswith("<<", i):
            heredoc = re.match(r"<<-?([A-Za-z_][A-Za-z0-9_]*)\n", text[i:])
            if heredoc:
                end = re.compile(r"\n[ \t]*" + re.escape(heredoc.group(1)) + r"\b").search(text, i + heredoc.end() - 1)
                i = end.end() if end else len(text)
                continue
        if ch in _OPEN:
            stack.append(_OPEN[ch])
        elif ch == stack[-1]:
            stack.pop()
        i += 1
    return i


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0

    def ws(self) -> None:
        while self.i < len(self.text) and self.text[self.i] in " \t\r\n":
            self.i += 1

    def peek(self) -> str:
        self.ws()
        return self.text[self.i] if self.i < len(self.text) else ""

    def term_end(self) -> int:
        """End of the expression starting at self.i: the next top-level , } ] ) or newline-less end."""
        i = self.i
        while i < len(self.text):
            ch = self.text[i]
            if ch == '"':
                i = skip_string(self.text, i)
                continue
            if ch in _OPEN:
                i = skip_braces(self.text, i)
                continue
            if ch in ",}])":
                break
            if ch == "\n":
                break
            i += 1
        return i

    def value(self) -> Any:
        ch = self.peek()
        start = self.i
        if ch == "{":
            parsed = self.obj()
        elif ch == "[":
            parsed = self.lst()
        elif ch == '"':
            end = skip_string(self.text, self.i)
            parsed = string_value(self.text[self.i : end])
            self.i = end
        else:
            end = self.term_end()
            parsed = _atom(self.text[self.i : end].strip())
            self.i = end
            return parsed
        # `{...} ? a : b`, `[...][0]`, `"a" == b`: an expression that only starts with a literal
        self.ws()
        if self.i < len(self.text) and self.text[self.i] not in ",}])\n":
            end = self.term_end()
            self.i = end
            return Expr(self.text[start:end].strip())
        return parsed

    def obj(self) -> Any:
        start = self.i
        self.i += 1
        out: dict[str, Any] = {}
        while True:
            ch = self.peek()
            if ch == "}":
                self.i += 1
                return out
            if ch == "":
                raise ValueError("unterminated object")
            if ch == '"':
                end = skip_string(self.text, self.i)
                key_raw = self.text[self.i : end]
                self.i = end
                key = string_value(key_raw)
                if not isinstance(key, str):
                    key = str(key)
            elif ch == "(":
                end = skip_braces(self.text, self.i)
                key = self.text[self.i : end]
                self.i = end
            else:
                match = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*").match(self.text, self.i)
                if not match:
                    return self._opaque(start)
                key = match.group(0)
                self.i = match.end()
            if self.peek() not in ("=", ":"):
                return self._opaque(start)
            self.i += 1
            out[key] = self.value()
            if self.peek() == ",":
                self.i += 1

    def lst(self) -> Any:
        start = self.i
        self.i += 1
        if re.match(r"\s*for\s", self.text[self.i :]):
            return self._opaque(start)
        out: list[Any] = []
        while True:
            ch = self.peek()
            if ch == "]":
                self.i += 1
                return out
            if ch == "":
                raise ValueError("unterminated list")
            out.append(self.value())
            if self.peek() == ",":
                self.i += 1

    def _opaque(self, start: int) -> Expr:
        end = skip_braces(self.text, start)
        self.i = end
        return Expr(self.text[start:end])


def _atom(text: str) -> Any:
    if text == "true":
        return True
    if text == "false":
        return False
    if text == "null":
        return None
    if _NUMBER.match(text):
        return float(text) if any(c in text for c in ".eE") else int(text)
    call = re.match(r"(jsonencode|yamlencode|tolist|toset|tomap)\s*\(", text)
    if call and skip_braces(text, call.end() - 1) == len(text):
        inner = text[call.end() : -1]
        parsed = parse_expression(inner)
        if not isinstance(parsed, Expr):
            return parsed
    return Expr(text)


def parse_expression(text: str) -> Any:
    """Read an HCL expression (the inside of `${...}`) as far as literals go."""
    text = text.strip()
    try:
        reader = _Reader(text)
        parsed = reader.value()
        reader.ws()
        if reader.i < len(text):
            return Expr(text)
        return parsed
    except (ValueError, IndexError, RecursionError):
        return Expr(text)


_REFERENCE = re.compile(
    r"(?<![A-Za-z0-9_.\"-])((?:data|ephemeral)\.[A-Za-z_][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_-]*"
    r"|(?:var|local|module)\.[A-Za-z_][A-Za-z0-9_-]*"
    r"|(?!(?:var|local|module|data|each|count|path|self|terraform|ephemeral)\.)[a-z][a-z0-9]*_[A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_-]*)"
)


def references(value: Any) -> list[str]:
    """Addresses an expression refers to: `aws_s3_bucket.b`, `data.x.y`, `var.v`, `local.l`, `module.m`."""
    found: list[str] = []

    def visit(item: Any) -> None:
        if isinstance(item, (Expr, Template)):
            for match in _REFERENCE.finditer(item.text):
                found.append(match.group(1))
        elif isinstance(item, dict):
            for v in item.values():
                visit(v)
        elif isinstance(item, list):
            for v in item:
                visit(v)

    visit(value)
    return found


def block_bodies(parsed: ParsedFile) -> list[tuple[Block, dict[str, Any]]]:
    """Each top-level block of a parsed HCL file with its body as plain Python (`normalise`).

    python-hcl2 lists a file's blocks by type, in order; `parsed.blocks` has their lines. The n-th
    block of a type is the n-th entry of that type; its body sits under one key per label.
    """
    counters: dict[str, int] = {}
    out: list[tuple[Block, dict[str, Any]]] = []
    for block in parsed.blocks:
        entries = parsed.data.get(block.type)
        index = counters.get(block.type, 0)
        counters[block.type] = index + 1
        if not isinstance(entries, list) or index >= len(entries):
            continue
        body: Any = entries[index]
        for _ in block.labels:
            if not isinstance(body, dict) or len(body) == 0:
                break
            body = next(iter(v for k, v in body.items() if not k.startswith("__")), {})
        out.append((block, normalise(body) if isinstance(body, dict) else {}))
    return out
