"""Independent module-call groups: the unit tfgen caches, shards and hands to checkov.

Two directories are in one group when one calls the other as a local module (`source =
"../x"`), transitively. checkov's findings for a directory depend only on its group: it loads
a called module from disk and reports the module's resources in each caller's context. So
checkov over one group reports exactly what a run over the whole tree reports for the group's
files (tests/test_validate_groups.py proves it with real checkov), groups can be scanned in
parallel, and a group whose inputs did not change can reuse its findings.

Sources are found with a byte pattern before anything is parsed, so checkov can start at once.
The pattern also matches look-alikes (an attribute called `source`, a comment): that can only
merge groups, which is coarser, never wrong. A called directory that tfgen does not scan but that
lies under a PATH (in a directory checkov and tfgen skip when walking, such as `.modules/`) is still
loaded by checkov: it is followed here too, and its files become part of the group's input
(`deps`): they enter its cache key and the copy checkov scans. A called directory outside every
PATH (`../../../x`, or a link out) is never read: the call is listed in `outside`, and reported
as skipped at the line of its `source`.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from tfgen.cache.store import Cache
from tfgen.safe_read import read_regular
from tfgen.validate.discover import OUTSIDE, Candidate, Confinement, Discovery, OtherFile, ScanRoot, terraform_kind
from tfgen.validate.readfiles import FileRead, read_module_files

# Terraform requires a local module source to be a literal starting with ./ or ../, which the string
# may spell with escapes (`"..\/m"` in JSON, `"..\u002fm"` in HCL): every string is read, then unescaped.
SOURCE = re.compile(rb'\bsource"?\s*[=:]\s*"((?:[^"\\\n]|\\.)*)"')
MAX_DEP_FILE_BYTES = 4 * 1024 * 1024
DOWNLOADED_MODULES_DIR = ".external_modules"  # where checkov keeps modules it downloaded


@dataclass(frozen=True)
class OutsideCall:
    """A module call whose source lies outside every PATH: reported as skipped, never followed."""

    display: str  # the calling file, as findings name it
    line: int  # of its `source`
    source: str

    @property
    def reason(self) -> str:
        return f"module source {self.source!r} is {OUTSIDE} (pass its directory as a PATH to check it)"


@dataclass(eq=False)  # a group is itself (hashed by identity): validate's pipeline keys its results by group
class Group:
    root: ScanRoot
    name: str  # posix path of its first directory relative to the root ("." for the root itself)
    dirs: list[str]  # absolute directories under the root that hold its scanned files
    candidates: list[Candidate] = field(default_factory=list)  # readable Terraform files
    others: list[OtherFile] = field(default_factory=list)  # files only checkov's secrets framework reads
    deps: dict[str, bytes] = field(default_factory=dict)  # called-module files tfgen does not scan
    dep_dirs: list[str] = field(default_factory=list)  # called directories tfgen does not scan
    outside: list[OutsideCall] = field(default_factory=list)  # calls to directories outside every PATH
    # Files its Terraform reads with file()/templatefile()/filebase64() at a static path, read once
    # here (`readfiles`): absolute path -> bytes or why not read. tfgen's rules scan them, so they
    # are inputs of the group's cache key.
    reads: dict[str, FileRead] = field(default_factory=dict)
    # For each directory of the group: the directories `${path.root}` may be in it (root_directories).
    roots: dict[str, list[str]] = field(default_factory=dict)
    # Each calling directory (scanned or not) -> the directories of the group it calls (`units`).
    calls: dict[str, set[str]] = field(default_factory=dict)
    # Each scanned directory -> the paths of `reads` its own Terraform reads.
    read_by: dict[str, set[str]] = field(default_factory=dict)
    # The groups of other PATHs of the run joined to this one by module calls, either way and
    # transitively (`link_paths`): tfgen's rules judge a module with its callers' values, so these
    # groups are cached, sharded and selected together.
    linked: tuple[Group, ...] = field(default=(), repr=False)
    # Files given as PATHs (`tfgen validate live/main.tf modules`) that call this group or its linked
    # ones, or that they call (`link_files`): such files are checked on every run and never cached, so
    # neither is this group, and a shard or `--changed-since` could not take the two together.
    file_paths: list[str] = field(default_factory=list)

    @property
    def weight(self) -> int:
        """checkov's work on a group grows with its Terraform bytes."""
        return (
            sum(c.size for c in self.candidates)
            + sum(len(b) for b in self.deps.values())
            + sum(o.size for o in self.others) // 8
        )


def local_sources(data: bytes) -> list[str]:
    return [source for source, _ in local_source_lines(data)]


def local_source_lines(data: bytes) -> list[tuple[str, int]]:
    """Each local module source with the line it is on."""
    found: list[tuple[str, int]] = []
    line, at = 1, 0
    for m in SOURCE.finditer(data):  # lines counted on from the last match: linear in the file's size
        line += data.count(b"\n", at, m.start())
        at = m.start()
        source = _unescaped(m.group(1).decode("utf-8", "replace"))
        if source.startswith(("./", "../")):
            found.append((source, line))
    return found


def _unescaped(text: str) -> str:
    """A string's text with its escapes read (JSON's, which HCL's `\\uNNNN`, `\\"` and `\\\\` are among)."""
    if "\\" not in text:
        return text
    try:
        return str(json.loads(f'"{text}"'))
    except ValueError:
        return text


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def add(self, item: str) -> None:
        self.parent.setdefault(item, item)

    def find(self, item: str) -> str:
        self.add(item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _read_dep_dir(directory: str, inside: Confinement, names: list[str] | None = None) -> dict[str, bytes]:
    """The Terraform files checkov would load from a called directory tfgen does not scan."""
    files: dict[str, bytes] = {}
    if names is None:
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            return files
    for name in names:
        path = os.path.join(directory, name)
        if terraform_kind(name) is None or not os.path.isfile(path) or not inside.holds(path):
            continue  # a file link out of the PATHs is never read (checkov's copy holds no such file)
        try:  # what is opened is checked again: a link swapped in after this check is never read through
            files[path] = read_regular(
                os.path.realpath(path), MAX_DEP_FILE_BYTES, follow_symlinks=False, within=inside.holds
            )
        except OSError:
            continue
    return files


def downloaded_modules(root: ScanRoot, inside: Confinement) -> dict[str, bytes]:
    """The Terraform files under the PATH's DOWNLOADED_MODULES_DIR, which checkov loads for
    registry and git sources: inputs of every group of the PATH (checkov scans only copies)."""
    files: dict[str, bytes] = {}
    top = root.directory / DOWNLOADED_MODULES_DIR
    if not top.is_dir() or top.is_symlink():
        return files
    for directory, _, names in os.walk(top):  # never into a directory link
        files.update(_read_dep_dir(directory, inside, sorted(names)))
    return files


def build(discovery: Discovery, contents: dict[str, bytes], store: Cache | None = None) -> list[Group]:
    """Groups of every directory PATH's readable files (`contents`: path -> bytes), in a stable order;
    `store`, the content cache (`readfiles.stored_calls`)."""
    groups: list[Group] = []
    for root in discovery.roots:
        if root.file is None:
            downloaded = downloaded_modules(root, discovery.inside)
            for group in _build_root(root, discovery, contents, store):
                group.deps.update(downloaded)
                groups.append(group)
    link_paths(groups)
    link_files(groups, discovery, contents)
    return groups


def file_outside_calls(candidate: Candidate, data: bytes, discovery: Discovery) -> list[OutsideCall]:
    """The calls of a file given as a PATH to directories outside every PATH: never read (checkov, given
    the file alone, does not load them either), reported as skipped like a directory PATH's."""
    directory = str(candidate.path.parent)
    return [
        OutsideCall(candidate.display, line, source)
        for source, line in local_source_lines(data)
        if not discovery.inside.holds(os.path.normpath(os.path.join(directory, source)))
    ]


def link_files(groups: list[Group], discovery: Discovery, contents: dict[str, bytes]) -> None:
    """Set `file_paths` on each group a file given as a PATH calls, or whose files call its directory,
    and on the groups linked to those."""
    files = [c for c in discovery.candidates if c.root.file is not None and str(c.path) in contents]
    if not files:
        return
    by_directory = {os.path.realpath(d): g for g in groups for d in g.dirs}
    calling: dict[str, list[Group]] = {}  # a directory -> the groups whose files call it (outside calls too)
    for group in groups:
        for candidate in group.candidates:
            for source in local_sources(contents[str(candidate.path)]):
                target = os.path.realpath(os.path.join(str(candidate.path.parent), source))
                calling.setdefault(target, []).append(group)
    for candidate in files:
        directory = str(candidate.path.parent)
        called = {os.path.realpath(os.path.join(directory, s)) for s in local_sources(contents[str(candidate.path)])}
        real = os.path.realpath(directory)
        touched = [g for d, g in by_directory.items() if d in called or d == real] + calling.get(real, [])
        for group in touched:
            for member in (group, *group.linked):
                if candidate.display not in member.file_paths:
                    member.file_paths.append(candidate.display)


def link_paths(groups: list[Group]) -> None:
    """Set each group's `linked`: a group calling a directory another PATH scans (`tfgen validate live
    modules`, live calling ../modules/p) joins that directory's group, and so on transitively.

    A module's verdict reads every caller's values (`module.link_calls`), so a change to a caller in
    one PATH can change a module's findings in another: such groups share their cache keys, a shard
    and `--changed-since`'s selection. Within one PATH the call already made them one group."""
    scanned = {os.path.realpath(d): i for i, g in enumerate(groups) for d in g.dirs}
    union = _Union()
    for i, group in enumerate(groups):
        union.add(str(i))
        for directory in group.dep_dirs:
            other = scanned.get(os.path.realpath(directory))
            if other is not None and other != i:
                union.join(str(i), str(other))
    members: dict[str, list[Group]] = {}
    for i, group in enumerate(groups):
        members.setdefault(union.find(str(i)), []).append(group)
    for i, group in enumerate(groups):
        group.linked = tuple(g for g in members[union.find(str(i))] if g is not group)


@dataclass
class _Calls:
    """What following a root's local module calls found."""

    dep_files: dict[str, dict[str, bytes]] = field(default_factory=dict)  # called directory outside the scan
    outside: dict[str, list[OutsideCall]] = field(default_factory=dict)  # calling directory -> its calls out
    callers: dict[str, set[str]] = field(default_factory=dict)  # called directory -> the directories calling it
    # scanned directory -> the directories calling it through a directory link (`./shared` -> it)
    linked: dict[str, set[str]] = field(default_factory=dict)

    def root_callers(self) -> dict[str, set[str]]:
        """Who calls each directory, by its name or through a link: where `${path.root}` may be."""
        return {d: self.callers.get(d, set()) | self.linked.get(d, set()) for d in {*self.callers, *self.linked}}


def _follow_calls(
    root: ScanRoot,
    discovery: Discovery,
    union: _Union,
    scanned: set[str],
    pending: list[tuple[str, bytes, str]],  # (directory, bytes, display)
) -> _Calls:
    """Join each calling directory with the directories it calls, reading called ones outside the scan."""
    calls = _Calls()
    # A call through a directory link (`./shared` -> ../../modules/shared) reads the linked
    # directory's files as a called directory of its own (checkov's copy holds them there), and
    # joins the group of the scanned directory the link names: tfgen's rules judge that module with
    # its callers' values, through links too (`module.link_calls`), so its callers share a cache key,
    # and its `${path.root}` may be the caller's root.
    named = {os.path.realpath(d): d for d in scanned}
    while pending:
        directory, data, display = pending.pop()
        if b"source" not in data:
            continue
        for source, line in local_source_lines(data):
            target = os.path.normpath(os.path.join(directory, source))
            if target == directory:
                continue
            if not discovery.inside.holds(target):
                calls.outside.setdefault(directory, []).append(OutsideCall(display, line, source))
            elif target in scanned:
                union.join(directory, target)
                calls.callers.setdefault(target, set()).add(directory)
            elif os.path.isdir(target):
                union.join(directory, target)
                calls.callers.setdefault(target, set()).add(directory)
                same = named.get(os.path.realpath(target))
                if same is not None:
                    union.join(target, same)
                    calls.linked.setdefault(same, set()).add(directory)
                if target not in calls.dep_files:
                    calls.dep_files[target] = _read_dep_dir(target, discovery.inside)
                    pending.extend(
                        (target, b, root.display(_relative(p, str(root.directory))))
                        for p, b in calls.dep_files[target].items()
                    )
    return calls


def _build_root(
    root: ScanRoot, discovery: Discovery, contents: dict[str, bytes], store: Cache | None = None
) -> list[Group]:
    candidates = [c for c in discovery.candidates if c.root is root and str(c.path) in contents]
    others = [o for o in discovery.others if o.root is root and str(o.path) in contents]
    scanned = {str(c.path.parent) for c in candidates}
    union = _Union()
    pending: list[tuple[str, bytes, str]] = []
    for candidate in candidates:
        union.add(str(candidate.path.parent))
        pending.append((str(candidate.path.parent), contents[str(candidate.path)], candidate.display))
    for other in others:
        union.add(str(other.path.parent))
    calls = _follow_calls(root, discovery, union, scanned, pending)
    by_leader: dict[str, Group] = {}

    def group_of(directory: str) -> Group:
        leader = union.find(directory)
        group = by_leader.get(leader)
        if group is None:
            group = by_leader[leader] = Group(root, "", [])
        return group

    for candidate in candidates:
        group_of(str(candidate.path.parent)).candidates.append(candidate)
    for other in others:
        group_of(str(other.path.parent)).others.append(other)
    for directory, outside in calls.outside.items():
        group_of(directory).outside.extend(outside)
    for directory, files in calls.dep_files.items():
        group = group_of(directory)
        group.dep_dirs.append(directory)
        group.deps.update(files)
    for called, callers in calls.callers.items():
        for caller in callers:
            group_of(called).calls.setdefault(caller, set()).add(called)
    root_callers = calls.root_callers()
    for group in by_leader.values():
        _finish(group, str(root.directory), contents, discovery, root_callers, store)
    return sorted((g for g in by_leader.values() if g.dirs), key=lambda g: g.name)


def _finish(
    group: Group,
    base: str,
    contents: dict[str, bytes],
    discovery: Discovery,
    callers: dict[str, set[str]],
    store: Cache | None = None,
) -> None:
    """A group's `${path.root}` directories, the files its modules read, and its sorted lists and name."""
    for directory in sorted({str(c.path.parent) for c in group.candidates}):
        texts = [
            (contents[str(c.path)].decode("utf-8-sig", "replace"), c.kind == "json")
            for c in group.candidates
            if str(c.path.parent) == directory and b"file" in contents[str(c.path)]
        ]
        group.roots[directory] = root_directories(directory, callers)
        reads: dict[str, FileRead] = {}
        read_module_files(directory, texts, discovery.inside, reads, group.roots[directory], store)
        group.read_by[directory] = set(reads)
        group.reads.update(reads)
    dirs = {str(c.path.parent) for c in group.candidates} | {str(o.path.parent) for o in group.others}
    group.dirs = sorted(dirs)
    group.dep_dirs.sort()
    group.outside.sort(key=lambda call: (call.display, call.line))
    group.name = min(_relative(d, base) for d in group.dirs) if group.dirs else "."


def root_directories(directory: str, callers: dict[str, set[str]]) -> list[str]:
    """The directories `${path.root}` is in `directory`: the modules at the top of its callers (no
    scanned module calls them), itself when nothing calls it. Empty when every caller is called in
    turn (a cycle): no root is known."""
    roots: set[str] = set()
    seen = {directory}
    todo = [directory]
    while todo:
        current = todo.pop()
        above = callers.get(current, set()) - {current}
        if not above:
            roots.add(current)
        for caller in above - seen:
            seen.add(caller)
            todo.append(caller)
    return sorted(roots)


def _relative(directory: str, base: str) -> str:
    rel = os.path.relpath(directory, base)
    return "." if rel == "." else Path(rel).as_posix()
