"""Inline `#checkov:skip=ID:reason` comments, honoured for tfgen's own rules as for checkov's.

checkov's own syntax is kept (one id per comment, the reason after a colon) so one comment
style serves both engines. A skip is scoped like checkov's: it applies to the block it is
written in; in a `.tfvars` file (no blocks) to the line it is on or the line below it.
A skip without a reason is itself a failed finding: an unexplained exception is how security
debt hides (`TFGEN_SKIP_REASON`, declared in the registry of checks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tfgen.validate.module import Module, Node, SourceFile

# checkov's own pattern (checkov/common/comment/enum.py), id and optional ":reason"
SKIP_COMMENT = re.compile(r"(?:checkov|bridgecrew):skip=\s*([A-Za-z_\d]+)(:[^\n]*)?")


@dataclass(frozen=True)
class SkipComment:
    source: SourceFile
    line: int
    check_id: str
    reason: str | None


def comments_in(source: SourceFile) -> list[SkipComment]:
    out: list[SkipComment] = []
    for number, text in enumerate(source.lines, start=1):
        if "skip=" not in text:
            continue
        for match in SKIP_COMMENT.finditer(text):
            reason = (match.group(2) or "")[1:].strip()
            reason = re.sub(r"\s*\*/\s*$", "", reason).strip()
            out.append(SkipComment(source, number, match.group(1), reason or None))
    return out


class Skips:
    """Every skip comment in a module, answering "is this result skipped, and why?"."""

    def __init__(self, module: Module) -> None:
        self.comments: list[SkipComment] = [c for source in module.files for c in comments_in(source)]

    def reason_for(self, check_id: str, node: Node, line: int) -> tuple[bool, str | None]:
        for comment in self.comments:
            if comment.check_id != check_id or comment.source is not node.file:
                continue
            if node.kind == "tfvars":
                if comment.line in (line, line - 1):
                    return True, comment.reason
            elif node.line <= comment.line <= node.end_line:
                return True, comment.reason
        return False, None

    def file_skip(self, check_id: str, source: SourceFile) -> tuple[bool, str | None]:
        for comment in self.comments:
            if comment.check_id == check_id and comment.source is source:
                return True, comment.reason
        return False, None


def enclosing(module: Module, comment: SkipComment) -> Node | None:
    best: Node | None = None
    for node in module.nodes:
        if node.file is comment.source and node.line <= comment.line <= node.end_line:
            if best is None or node.line >= best.line:
                best = node
    return best
