"""When an empty checkov report cannot be right.

checkov prints valid JSON with zero results both when there was nothing to check (a tree of
`locals` and `null_resource`s) and when it did not check at all (a broken install, a wrapper
that swallows its work, a substituted executable). Passing the second case would pass a tree
nobody checked. So when a checkov run reports no result, no parse error, and the files it was
given hold a block it certainly evaluates, the run is refused (CheckovError, exit 2).

"Certainly evaluates", measured on checkov 3.3.30:
- a `resource`, `data` or `provider` block of a type `checkov --list` names for a selected
  check (the `entities` of data/catalogue.json), minus CKV2_AWS_37 and CKV2_AWS_75,
  which list all 1,496 AWS resource types but report only on CodeCommit repositories and CORS rules;
- not behind `count` or `for_each` (a resource whose `count` resolves to 0 is not evaluated;
  tfgen does not resolve variables to tell), unless `count` is a literal of at least 1.
A run with parse errors is not judged here: those files fail as TFGEN_SYNTAX already.

The decision is over plain records (`Block`): each job (init, validate) builds them from its own parse.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tfgen.checkov.catalogue import checkov_entities
from tfgen.errors import CheckovError

# A check listed for more entity types than this applies to a few of them only (see above).
GENERIC_MIN_TYPES = 100
KINDS = ("resource", "data", "provider")


@dataclass(frozen=True)
class Block:
    """A top-level block as the guard needs it: `count` is its value as parsed (1 when absent)."""

    kind: str  # resource | data | provider | ... (other kinds are never "certainly evaluated")
    type: str
    name: str
    file: str  # as shown to the user
    line: int
    count: Any = 1
    for_each: bool = False

    @property
    def address(self) -> str:
        if self.kind == "provider":
            return f'provider "{self.type}"'
        return f"{self.type}.{self.name}" if self.kind == "resource" else f"{self.kind}.{self.type}.{self.name}"


@functools.lru_cache(maxsize=1)
def _specific() -> dict[str, frozenset[str]]:
    entities = checkov_entities()
    spread: dict[str, int] = {}
    for ids in entities.values():
        for check_id in ids:
            spread[check_id] = spread.get(check_id, 0) + 1
    return {entity: frozenset(i for i in ids if spread[i] <= GENERIC_MIN_TYPES) for entity, ids in entities.items()}


def _unconditional(block: Block) -> bool:
    if block.for_each:
        return False
    count = block.count
    return isinstance(count, int) and not isinstance(count, bool) and count >= 1


def certainly_evaluated(
    blocks: Iterable[Block], checks: Iterable[str] | None = None, skip_checks: Iterable[str] | None = None
) -> Block | None:
    """The first block checkov must report on with these check selections, or None."""
    table = _specific()
    only = frozenset(checks) if checks else None
    never = frozenset(skip_checks or ())
    for block in blocks:
        if block.kind not in KINDS or not _unconditional(block):
            continue
        ids = table.get(f"{block.kind} {block.type}", frozenset())
        if only is not None:
            ids = ids & only
        if ids - never:
            return block
    return None


def require_evaluated(
    results: int,
    parse_errors: int,
    blocks: Iterable[Block],
    checks: Iterable[str] | None = None,
    skip_checks: Iterable[str] | None = None,
) -> None:
    """Raise CheckovError when a run reported nothing on files that hold a block it certainly evaluates."""
    if results or parse_errors:
        return
    block = certainly_evaluated(blocks, checks, skip_checks)
    if block is None:
        return
    raise CheckovError(
        f"checkov evaluated no check, yet {block.file}:{block.line} holds {block.address}, a type it has checks for: "
        "its report is empty, so this tree was not checked (is --checkov/TFGEN_CHECKOV a working checkov?)"
    )
