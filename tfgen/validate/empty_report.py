"""validate's records for checkov's "nothing evaluated" guard (tfgen.checkov.empty_report), from its parse."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from tfgen.checkov.empty_report import Block
from tfgen.validate.module import Node


def blocks_of(nodes: Iterable[Node]) -> Iterator[Block]:
    """The guard's record of each block (lazily: the nodes may still be computed while checkov runs)."""
    for node in nodes:
        yield Block(
            node.kind,
            node.type,
            node.name,
            node.file.display,
            node.line,
            node.body.get("count", 1),
            "for_each" in node.body,
        )
