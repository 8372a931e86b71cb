"""`--shard I/N`: a deterministic split of the tree, so a CI matrix of N jobs covers it once.

The unit is a module-call group (see `groups`): checkov's findings for a group depend on the
whole group, so a group is never cut. Groups are dealt largest first to the least loaded shard
(ties to the lower shard, then by name), which depends only on the tree, never on the machine.
Anything that is not in a group (a file that cannot be read, a directory that cannot be
listed) goes to the shard a stable hash of its path picks. Every shard reports the files it
owns, so the union of the N reports is the unsharded report.
"""

from __future__ import annotations

import hashlib
import heapq
import re

from tfgen.errors import UsageError
from tfgen.validate.groups import Group

_SHARD = re.compile(r"\s*([0-9]{1,9})\s*/\s*([0-9]{1,9})\s*")  # ASCII digits; more would be refused anyway
# More shards than any CI matrix runs (GitHub Actions allows 256 jobs per matrix); N is also the
# size of a list, so `1/99999999999999999999` was an OverflowError.
MAX_SHARDS = 10_000


def parse(text: str) -> tuple[int, int]:
    """'2/4' -> (2, 4); I counts from 1."""
    match = _SHARD.fullmatch(text or "")
    if not match:
        raise UsageError(f"--shard must look like I/N (e.g. 1/4) with N at most {MAX_SHARDS}, not {text[:40]!r}")
    index, count = int(match.group(1)), int(match.group(2))
    if count > MAX_SHARDS:
        raise UsageError(f"--shard {index}/{count}: N must be at most {MAX_SHARDS}")
    if count < 1 or not 1 <= index <= count:
        raise UsageError(f"--shard {text}: I must be between 1 and N (N >= 1)")
    return index, count


def assign(groups: list[Group], count: int) -> list[int]:
    """The shard (1-based) of each group, in the order given. Groups linked across PATHs
    (`Group.linked`: a module judged with its callers' values) are dealt together, as one."""
    index = {id(g): i for i, g in enumerate(groups)}
    together: dict[int, list[int]] = {}  # the first group of each set dealt together -> the set
    for i, group in enumerate(groups):
        first = min([i, *(index[id(g)] for g in group.linked if id(g) in index)])
        together.setdefault(first, []).append(i)
    weight = {first: sum(groups[i].weight for i in members) for first, members in together.items()}
    # a heap of (load, shard): the least loaded shard, ties to the lower one, in O(log N)
    loads = [(0, s) for s in range(count)]
    shard_of: dict[int, int] = {}
    order = sorted(together, key=lambda f: (-weight[f], groups[f].root.prefix, groups[f].name))
    for first in order:
        load, target = loads[0]
        heapq.heapreplace(loads, (load + weight[first], target))
        for i in together[first]:
            shard_of[i] = target + 1
    return [shard_of[i] for i in range(len(groups))]


def owner(display_path: str, count: int) -> int:
    """The shard (1-based) of something outside every group, by a stable hash of its path."""
    value = int.from_bytes(hashlib.sha256(display_path.encode("utf-8", "surrogateescape")).digest()[:8], "big")
    return value % count + 1
