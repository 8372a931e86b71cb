"""Parse each Terraform file once, and never again while its bytes stay the same.

python-hcl2 is CPU bound (about 0.3 s per 1,000 lines), so:
- a file whose bytes were parsed before (same tfgen code, same python-hcl2) is read back from
  the cache as JSON (~1 ms) instead;
- the rest is parsed by worker processes when there is enough of it to repay their start-up,
  else in this process. Workers are plain subprocesses (`python -m tfgen.hcl.parse_worker`),
  not a multiprocessing pool: a spawned pool re-imports the caller's main module (a script
  without a `__main__` guard would run again in every worker) and a forked one is unsafe beside
  threads. A worker that fails costs time, never a result: its files are parsed here instead.
A syntax or decoding error is a result like any other: it is cached too, and reported the same.
"""

from __future__ import annotations

import concurrent.futures
import pickle
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from tfgen.cache.keys import code_fingerprint, digest, file_digest
from tfgen.errors import HclSyntaxError, InputFileError
from tfgen.hcl import syntax
from tfgen.hcl.read import Block, ParsedFile, decode, parse_body, parse_json_text, parse_text

Parsed = ParsedFile | InputFileError  # HclSyntaxError is an InputFileError
Item = tuple[str, str, bytes]  # (file name, display path, bytes)

NAMESPACE = "parse"
# A worker costs ~0.3 s to start (Python, python-hcl2): worth it from ~10,000 lines (~3 s of parsing).
PARALLEL_MIN_BYTES = 256 * 1024


def key(name: str, data: bytes) -> str:
    return digest(NAMESPACE, code_fingerprint(), name.endswith(".json"), file_digest(data))


# Deep nesting. python-hcl2 8.1.4 (lark) recurses ~5 Python frames per nesting level, so 200
# nested objects exceeded Python's default limit of 1,000 frames and valid Terraform became a
# false TFGEN_SYNTAX ("VisitError ... RecursionError"). A file nested deeper than
# SHALLOW_NESTING levels is parsed in a thread of its own with room for it: measured here, 10,000
# nested objects parse (in 16 s) with a 100,000-frame limit on a 512 MiB stack, and 20,000 end
# in a clean RecursionError, never a crash. But tfgen's rules walk the parse recursively too,
# with the default limit: 300 nested blocks, lists or objects pass, 400 nested blocks do not. So
# a file nested deeper than MAX_NESTING levels is one TFGEN_READ finding saying so, before any
# parsing; it is not Terraform anyone writes by hand.
SHALLOW_NESTING = 40
MAX_NESTING = 256
DEEP_RECURSION_LIMIT = 100_000
DEEP_STACK_BYTES = 512 * 1024 * 1024
_deep_lock = threading.Lock()

# What can nest, and what to skip while counting: strings, heredocs and comments
_TOKENS = re.compile(r""""(?:[^"\\\n]|\\.)*"|<<-?\s*"?(\w+)"?\n|#[^\n]*|//[^\n]*|/\*.*?\*/|[{}\[\]()]|\n""", re.S)


def nesting(text: str) -> tuple[int, int]:
    """The deepest bracket nesting in `text` and the line where it is reached (an estimate to bound recursion)."""
    depth = deepest = 0
    line = deepest_line = 1
    position = 0
    while True:
        match = _TOKENS.search(text, position)
        if match is None:
            return deepest, deepest_line
        token = match.group(0)
        position = match.end()
        if token in "{[(":
            depth += 1
            if depth > deepest:
                deepest, deepest_line = depth, line
        elif token in "}])":
            depth = max(0, depth - 1)
        elif match.group(1):  # a heredoc: skip to its closing marker
            end = re.compile(r"^\s*" + re.escape(match.group(1)) + r"\s*$", re.M).search(text, position)
            position = end.end() if end else len(text)
        line += token.count("\n") if match.group(1) is None else text.count("\n", match.start(), position)


_T = TypeVar("_T")


def _parse_deep(parse: Callable[[], _T]) -> _T:
    """Run `parse` in a thread with a large stack and a high recursion limit (see above)."""
    outcome: list[Any] = []

    def target() -> None:
        try:
            outcome.append(parse())
        except BaseException as exc:  # handed to the caller's thread
            outcome.append(exc)

    with _deep_lock:
        limit = sys.getrecursionlimit()
        previous = threading.stack_size(DEEP_STACK_BYTES)
        try:
            sys.setrecursionlimit(max(limit, DEEP_RECURSION_LIMIT))
            thread = threading.Thread(target=target, name="tfgen-deep-parse")
            thread.start()
            thread.join()
        finally:
            threading.stack_size(previous)
            sys.setrecursionlimit(limit)
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _parse_hcl(text: str, display: str) -> ParsedFile:
    return _with_room(text, display, lambda: parse_text(text, display))


def file_body(text: str, display: str) -> syntax.Body:
    """`tfgen.hcl.read.parse_body`, with the room a file nested deeper than SHALLOW_NESTING levels
    needs, as the parse of the file itself has: a reader of the syntax tree sees every file the
    parse reads (HclSyntaxError, or InputFileError for a file too deep, as `parse_to_json`)."""
    return _with_room(text, display, lambda: parse_body(text, display))


def _with_room(text: str, display: str, parse: Callable[[], _T]) -> _T:
    depth, line = nesting(text)
    if depth > MAX_NESTING:
        raise InputFileError(
            display, line, f"nested {depth} levels deep; tfgen reads Terraform nested at most {MAX_NESTING} levels"
        )
    if depth <= SHALLOW_NESTING:
        return parse()
    try:
        return _parse_deep(parse)
    except (RecursionError, MemoryError):
        pass
    except HclSyntaxError as exc:
        if not _out_of_depth(exc):
            raise
    raise InputFileError(display, line, f"nested {depth} levels deep, too deep for tfgen's parser")


def _out_of_depth(exc: BaseException) -> bool:
    """Did the parser give up for lack of room, not for bad syntax? (`parse_text` raises `from
    None`, which keeps the original in `__context__`; lark wraps it in a VisitError.)"""
    seen: set[int] = set()
    cause: BaseException | None = exc.__context__
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, (RecursionError, MemoryError)):
            return True
        seen.add(id(cause))
        cause = getattr(cause, "orig_exc", None) or cause.__context__
    return False


def parse_to_json(item: Item) -> dict[str, Any]:
    """Parse one file into a JSON-able value (also run by worker processes: plain data in and out)."""
    name, display, data = item
    try:
        text = decode(data, display)
        parsed = parse_json_text(text, display) if name.endswith(".json") else _parse_hcl(text, display)
    except HclSyntaxError as exc:
        return {"error": "syntax", "line": exc.line, "problem": exc.problem}
    except InputFileError as exc:
        return {"error": "input", "line": exc.line, "problem": exc.problem}
    return {"data": parsed.data, "blocks": [[b.type, list(b.labels), b.line, b.end_line] for b in parsed.blocks]}


def check(value: Any) -> None:
    """Raise unless `value` has the shape `parse_to_json` returns (a cache entry may be damaged)."""
    if "error" in value:
        _require(value["error"] in ("syntax", "input") and isinstance(value["problem"], str))
        _require(value["line"] is None or isinstance(value["line"], int))
        return
    _require(isinstance(value["data"], dict) and isinstance(value["blocks"], list))
    for kind, labels, line, end_line in value["blocks"]:
        _require(
            isinstance(kind, str) and isinstance(labels, list) and isinstance(line, int) and isinstance(end_line, int)
        )


def _require(condition: bool) -> None:
    if not condition:
        raise ValueError("cache entry has the wrong shape")


def from_json(value: dict[str, Any], data: bytes, display: str) -> Parsed:
    if "error" in value:
        error_type = HclSyntaxError if value["error"] == "syntax" else InputFileError
        return error_type(display, value["line"], value["problem"])
    blocks = [Block(kind, tuple(labels), line, end_line) for kind, labels, line, end_line in value["blocks"]]
    return ParsedFile(path=display, text=decode(data, display), data=value["data"], blocks=blocks)


def parse_all(
    items: list[Item],
    *,
    store: Any | None = None,  # a `cache.Cache`
    jobs: int | None = None,  # None: a pool for large inputs only; 1: never a pool
    cores: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[Parsed]:
    """Each item's parse, in order."""
    total = len(items)
    results: list[Parsed | None] = [None] * total
    keys = [key(name, data) for name, _, data in items] if store is not None else []
    todo: list[int] = []
    for i, (_, display, data) in enumerate(items):
        value = store.get(NAMESPACE, keys[i], check) if store is not None else None
        if value is None:
            todo.append(i)
        else:
            results[i] = from_json(value, data, display)
    done = total - len(todo)
    if progress and total:
        progress("parse", done, total)
    # identical files (a copied versions.tf, variables.tf) are parsed once: the parse depends on
    # the bytes and the syntax (native or JSON) only
    copies: dict[tuple[bool, bytes], list[int]] = {}
    for i in todo:
        copies.setdefault((items[i][0].endswith(".json"), items[i][2]), []).append(i)
    todo = [same[0] for same in copies.values()]

    def finish(first: int, value: dict[str, Any]) -> None:
        nonlocal done
        if store is not None:
            store.put(NAMESPACE, keys[first], value)
        same = copies[(items[first][0].endswith(".json"), items[first][2])]
        for i in same:
            results[i] = from_json(value, items[i][2], items[i][1])
        done += len(same)
        if progress:
            progress("parse", done, total)

    workers = _workers(sum(len(items[i][2]) for i in todo), len(todo), jobs, cores)

    if workers > 1:
        _parse_in_workers(items, todo, workers, finish)
    else:
        for i in todo:
            finish(i, parse_to_json(items[i]))
    return [r for r in results if r is not None]  # every slot is filled above


def _parse_in_workers(
    items: list[Item], todo: list[int], workers: int, finish: Callable[[int, dict[str, Any]], None]
) -> None:
    """`finish(i, parse)` for each index in `todo`, parsed in `workers` processes, chunks of about equal bytes."""
    chunks = _balanced(todo, [len(item[2]) for item in items], workers)
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(chunks)) as threads:
        futures = {threads.submit(_in_worker, [items[i] for i in chunk]): chunk for chunk in chunks}
        for future in concurrent.futures.as_completed(futures):
            chunk = futures[future]
            values = future.result() or [parse_to_json(items[i]) for i in chunk]
            for i, value in zip(chunk, values, strict=True):
                finish(i, value)


def _balanced(indexes: list[int], sizes: list[int], count: int) -> list[list[int]]:
    """`indexes` in `count` chunks of about equal bytes, largest files first."""
    chunks: list[list[int]] = [[] for _ in range(count)]
    loads = [0] * count
    for i in sorted(indexes, key=lambda i: -sizes[i]):
        target = loads.index(min(loads))
        chunks[target].append(i)
        loads[target] += sizes[i]
    return [c for c in chunks if c]


def _in_worker(chunk: list[Item]) -> list[dict[str, Any]] | None:
    """Parse `chunk` in a worker process; None if the worker failed in any way."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tfgen.hcl.parse_worker"], input=pickle.dumps(chunk), capture_output=True, check=True
        )
        values = pickle.loads(done.stdout)
    except Exception:
        return None
    return values if isinstance(values, list) and len(values) == len(chunk) else None


def _workers(size: int, count: int, jobs: int | None, cores: int) -> int:
    if count < 2:
        return 1
    if jobs is not None:
        return max(1, min(jobs, count))
    if size < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(cores, count))
