"""When an empty checkov report cannot be right.

checkov prints valid JSON with zero results both when there was nothing to check (a tree of
`locals` and `null_resource`s) and when it did not check at all (a broken install, a wrapper
that swallows its work, a substituted executable). Passing the second case would pass a tree
nobody checked. So when a checkov run reports no result, no parse error, and the files it was
given hold a block it certainly evaluates, the run is refused (CheckovError, exit 2).

"Certainly evaluates", measured on checkov 3.3.30:
- a `resource`, `data` or `provider` block of a type `checkov --list` names for a selected
  check (the `entities` of the registry's checkov.json), minus CKV2_AWS_37 and CKV2_AWS_75,
  which list all 1,496 AWS resource types but report only on CodeCommit repositories and CORS rules;
- not behind `count` or `for_each` (a resource whose `count` resolves to 0 is not evaluated;
  tfgen does not resolve variables to tell), unless `count` is a literal of at least 1.
A run with parse errors is not judged here: those files fail as TFGEN_SYNTAX already.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from tfgen.errors import CheckovError
from tfgen.validate.module import Node

# A check listed for more entity types than this applies to a few of them only (see above).
GENERIC_MIN_TYPES = 100
KINDS = ("resource", "data", "provider")


@functools.lru_cache(maxsize=1)
def _specific() -> dict[str, frozenset[str]]:
    from tfgen.validate.registry import checkov_entities

    entities = checkov_entities()
    spread: dict[str, int] = {}
    for ids in entities.values():
        for check_id in ids:
            spread[check_id] = spread.get(check_id, 0) + 1
    return {entity: frozenset(i for i in ids if spread[i] <= GENERIC_MIN_TYPES) for entity, ids in entities.items()}


def _unconditional(node: Node) -> bool:
    if "for_each" in node.body:
        return False
    count = node.body.get("count", 1)
    return isinstance(count, int) and not isinstance(count, bool) and count >= 1


def certainly_evaluated(nodes: Iterable[Node], checks: Iterable[str] | None = None,
                        skip_checks: Iterable[str] | None = None) -> Node | None:
    """The first block checkov must report on with these check selections, or None."""
    table = _specific()
    only = frozenset(checks) if checks else None
    never = frozenset(skip_checks or ())
    for node in nodes:
        if node.kind not in KINDS or not _unconditional(node):
            continue
        ids = table.get(f"{node.kind} {node.type}", frozenset())
        if only is not None:
            ids = ids & only
        if ids - never:
            return node
    return None


def require_evaluated(results: int, parse_errors: int, nodes: Iterable[Node], checks: Iterable[str] | None = None,
                      skip_checks: Iterable[str] | None = None) -> None:
    """Raise CheckovError when a run reported nothing on files that hold a block it certainly evaluates."""
    if results or parse_errors:
        return
    node = certainly_evaluated(nodes, checks, skip_checks)
    if node is None:
        return
    address = node.address if node.kind != "provider" else f'provider "{node.type}"'
    raise CheckovError(
        f"checkov evaluated no check, yet {node.file.display}:{node.line} holds {address}, a type it has checks for: "
        "its report is empty, so this tree was not checked (is --checkov/TFGEN_CHECKOV a working checkov?)"
    )


def nodes_of_files(directory: Path, files: Mapping[str, bytes], store: Any | None = None) -> list[Node]:
    """The blocks of the Terraform files in `files` (relative path -> bytes, staged under `directory`).

    For `tfgen init`'s self-check; `store` is the parse cache, which already holds the parse of
    every rendered file, so this costs ~1 ms a file unless the cache is off.
    """
    from tfgen.validate import parsing
    from tfgen.validate.discover import Candidate, ScanRoot
    from tfgen.validate.module import Module, SourceFile

    root = ScanRoot(str(directory), directory)
    names = sorted(n for n in files if n.endswith((".tf", ".tf.json")))
    items = [(PurePosixPath(n).name, n, files[n]) for n in names]
    modules: dict[str, Module] = {}
    for name, outcome in zip(names, parsing.parse_all(items, store=store, jobs=1)):
        if isinstance(outcome, Exception):
            continue  # init's own parse-back proof already refused such a render
        path = directory / name
        module = modules.setdefault(str(path.parent), Module(path.parent))
        kind = "json" if name.endswith(".json") else "hcl"
        module.add(SourceFile(Candidate(root, path, name, kind, len(files[name])), outcome))
    return [node for module in modules.values() for node in module.nodes]
