"""Where the code is in a Terraform file: a small HCL lexer that reports byte offsets.

The rewriter edits Terraform TEXT by location, so it must know which characters are
expressions and which are comments, string literals or heredoc bodies (python-hcl2 cannot
say: it drops comments and re-serializes on write). This lexer emits tokens only for code,
including the code inside `${...}` / `%{...}` in quoted strings and heredocs, plus open and
close markers for strings, heredocs and interpolations so callers can match brackets.
Everything it does not emit (whitespace, comments, literal template text) is never edited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

IDENT = "ident"
NUMBER = "number"
PUNCT = "punct"
OPEN = "open"  # ( [ { " <<EOF ${ %{
CLOSE = "close"  # ) ] } " EOF }

_IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NUMBER_RE = re.compile(r"[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_HEREDOC_RE = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")


@dataclass(frozen=True)
class Token:
    kind: str
    start: int
    end: int
    text: str


class LexError(ValueError):
    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _template_sequence(text: str, pos: int, tokens: list[Token], stack: list[list[object]]) -> int | None:
    """In template text: skip an escaped `$${`/`%%{`, or open an interpolation or directive
    (pushing a code frame); the position after it, or None when neither starts at `pos`."""
    if text.startswith(("$${", "%%{"), pos):
        return pos + 3
    if text.startswith(("${", "%{"), pos):
        tokens.append(Token(OPEN, pos, pos + 2, text[pos : pos + 2]))
        stack.append(["code", 0])
        return pos + 2
    return None


def tokenize(text: str) -> list[Token]:  # noqa: C901  # one branch per token kind
    """The code tokens of `text`; LexError for an unterminated string, heredoc or comment."""
    tokens: list[Token] = []
    # Frames: ("code", depth) for the file or an interpolation, ("quoted",), ("heredoc", marker).
    stack: list[list[object]] = [["code", 0]]
    pos = 0
    n = len(text)
    while pos < n:
        frame = stack[-1]
        if frame[0] == "code":
            ch = text[pos]
            if ch in " \t\r\n":
                pos += 1
            elif ch == "#" or text.startswith("//", pos):
                end = text.find("\n", pos)
                pos = n if end < 0 else end
            elif text.startswith("/*", pos):
                end = text.find("*/", pos + 2)
                if end < 0:
                    raise LexError(pos, "unterminated /* comment")
                pos = end + 2
            elif ch == '"':
                tokens.append(Token(OPEN, pos, pos + 1, '"'))
                stack.append(["quoted"])
                pos += 1
            elif text.startswith("<<", pos) and (match := _HEREDOC_RE.match(text, pos)):
                tokens.append(Token(OPEN, pos, match.end(), match.group(0)))
                stack.append(["heredoc", match.group(2)])
                pos = match.end()
            elif match := _IDENT_RE.match(text, pos):
                tokens.append(Token(IDENT, pos, match.end(), match.group(0)))
                pos = match.end()
            elif match := _NUMBER_RE.match(text, pos):
                tokens.append(Token(NUMBER, pos, match.end(), match.group(0)))
                pos = match.end()
            elif ch in "([{":
                tokens.append(Token(OPEN, pos, pos + 1, ch))
                if ch == "{":
                    frame[1] = int(frame[1]) + 1  # type: ignore[call-overload]  # a code frame: [str, int] as list[object]
                pos += 1
            elif ch == "}" and frame[1] == 0 and len(stack) > 1:
                tokens.append(Token(CLOSE, pos, pos + 1, "}"))  # closes ${ or %{
                stack.pop()
                pos += 1
            elif ch in ")]}":
                tokens.append(Token(CLOSE, pos, pos + 1, ch))
                if ch == "}":
                    frame[1] = int(frame[1]) - 1  # type: ignore[call-overload]  # as above
                pos += 1
            else:
                tokens.append(Token(PUNCT, pos, pos + 1, ch))
                pos += 1
        elif frame[0] == "quoted":
            ch = text[pos]
            if ch == "\\":
                pos += 2
            elif ch == '"':
                tokens.append(Token(CLOSE, pos, pos + 1, '"'))
                stack.pop()
                pos += 1
            elif (step := _template_sequence(text, pos, tokens, stack)) is not None:
                pos = step
            elif ch == "\n":
                raise LexError(pos, "newline in a quoted string")
            else:
                pos += 1
        else:  # heredoc
            marker = str(frame[1])
            if pos == 0 or text[pos - 1] == "\n":
                end = text.find("\n", pos)
                line = text[pos : n if end < 0 else end]
                if line.strip() == marker:
                    start = pos + line.index(marker)
                    tokens.append(Token(CLOSE, start, start + len(marker), marker))
                    stack.pop()
                    pos = start + len(marker)
                    continue
            step = _template_sequence(text, pos, tokens, stack)
            pos = pos + 1 if step is None else step
    if len(stack) > 1:
        kind = {"quoted": "quoted string", "heredoc": "heredoc", "code": "interpolation"}[str(stack[-1][0])]
        opener = next(t for t in reversed(tokens) if t.kind == OPEN)
        raise LexError(opener.start, f"unterminated {kind}")
    return tokens


def matching_close(tokens: list[Token], index: int) -> int:
    """Index of the token that closes the OPEN token at `index` (brackets of every kind nest)."""
    depth = 0
    for i in range(index, len(tokens)):
        kind = tokens[i].kind
        if kind == OPEN:
            depth += 1
        elif kind == CLOSE:
            depth -= 1
            if depth == 0:
                return i
    return len(tokens) - 1


def split_arguments(tokens: list[Token], open_index: int) -> list[tuple[int, int]]:
    """Token index ranges [start, end) of the comma-separated arguments of a call's `(`."""
    close = matching_close(tokens, open_index)
    args: list[tuple[int, int]] = []
    start = open_index + 1
    depth = 0
    for i in range(open_index + 1, close):
        kind = tokens[i].kind
        if kind == OPEN:
            depth += 1
        elif kind == CLOSE:
            depth -= 1
        elif depth == 0 and kind == PUNCT and tokens[i].text == ",":
            args.append((start, i))
            start = i + 1
    if start < close:
        args.append((start, close))
    return args
