"""`validate_paths(paths, options) -> Report`: the whole of `tfgen validate` but its output.

A pipeline of steps, each a function from values to a value (frozen records below):

1. `ask`: the ids of --check/--skip-check and the --baseline entries, checked before any file is read;
2. `find`: the files under each PATH (and what must not be opened); `locate_checkov`: which checkov, if any;
3. `read_files`: each file's bytes, read once; unreadable files are findings;
4. `select_groups`: the tree as module-call groups (`groups`), this shard's (`--shard I/N`);
5. `cache_keys`: each group's key; unless every group has an entry, checkov is started
   (`checkov_ahead`): its own import, most of a small scan's time, overlaps what follows;
   `read_cache`: every group whose inputs did not change answered from the cache (`group_cache`);
6. `start_checkov`: checkov on the other groups in the background, in parallel batches over
   copies (`checkov_batches`; offline, its own environment), the first on the checkov started ahead;
7. `tfgen_pass`: meanwhile each file parsed once (the syntax gate; cached per file, a process
   pool for large trees: `hcl.parsing`) and tfgen's rules run per module; for a JSON report,
   `render_ahead` writes the cache's answers;
8. `collect`: checkov's reports become findings (`findings`: its known false positives corrected,
   ids mapped to practices) of the group they belong to; `write_cache` keeps each group's;
9. `report`: inline skips are applied already; --check/--skip-check, the baseline; sorted by file and line.
"""

from __future__ import annotations

import os
import posixpath
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from tfgen.cache.store import Cache
from tfgen.checkov import env as checkov_env
from tfgen.checkov import run as checkov_run
from tfgen.checkov import scratch
from tfgen.checkov.empty_report import require_evaluated
from tfgen.errors import HclSyntaxError, InputFileError, UsageError
from tfgen.hcl import parsing
from tfgen.hcl.read import read_bytes
from tfgen.validate import baseline as baseline_file
from tfgen.validate import changed, checkov_batches, empty_report, group_cache, units
from tfgen.validate import groups as groups_mod
from tfgen.validate import shard as shard_mod
from tfgen.validate.discover import (
    MAX_FILE_BYTES,
    MAX_OTHER_FILE_BYTES,
    Candidate,
    Discovery,
    Note,
    OtherFile,
    ScanRoot,
    add_called_directory,
    discover,
    scanned_file_at,
)
from tfgen.validate.findings import Places, checkov_findings, rule_findings, run_finding
from tfgen.validate.group_cache import CheckovSetup, GroupResult
from tfgen.validate.groups import Group
from tfgen.validate.module import Module, Node, SourceFile, link_calls
from tfgen.validate.registry import INTERNAL, READ, SEVERITIES, SYNTAX, UNEVALUATED, selected_ids
from tfgen.validate.registry import SKIP_REASON as SKIP_REASON_ID
from tfgen.validate.report import FAILED, SKIPPED, Finding, Report, SettingUsed
from tfgen.validate.units import Unit

Progress = Callable[[str, int, int], None]  # (stage, done, total)

YIELD_NICENESS = 10


@dataclass
class ValidateOptions:
    checkov: str | None = None  # --checkov PATH (else $TFGEN_CHECKOV, else tfgen's environment)
    run_checkov: bool = True  # False: the syntax gate and tfgen's rules only
    checks: tuple[str, ...] = ()  # only these ids
    skip_checks: tuple[str, ...] = ()  # never these ids
    baseline: Path | None = None
    create_baseline: Path | None = None
    max_file_bytes: int = MAX_FILE_BYTES
    checkov_timeout: float | None = None  # seconds per checkov run; None: $TFGEN_CHECKOV_TIMEOUT, else the default
    progress: Progress | None = None
    cache_dir: Path | None = None  # None: no cache (the CLI passes the user's cache unless --no-cache)
    shard: tuple[int, int] | None = None  # (I, N), I from 1: only this shard's groups
    changed_since: str | None = None  # a git revision: only the groups holding a file changed since it
    checkov_jobs: int | None = None  # checkov processes side by side; None: by tree size and cores
    parse_jobs: int | None = None  # parsing processes; None: by size and cores
    yield_cpu: bool = False  # lower this process's priority while checkov runs (the CLI, which exits after)
    outputs: tuple[Path, ...] = ()  # --output's files: refused when one is (a spelling or link of) a file being checked
    require_files: bool = False  # a PATH without Terraform files is exit 2 (else a warning, and nothing to check there)
    fail_on: str = SEVERITIES[0]  # --fail-on: failed findings below this severity do not fail the run
    soft_fail: bool = False  # --soft-fail: findings never fail the run (exit 0)
    settings: tuple[SettingUsed, ...] = ()  # settings-file values that weaken the verdict: every report shows them
    json_report: bool = False  # a JSON report will be written: the cache's answers are written while checkov runs


def validate_paths(paths: list[str] | tuple[str, ...], options: ValidateOptions | None = None) -> Report:
    """Validate the Terraform trees (or files) at `paths`; see the module docstring."""
    options = options or ValidateOptions()
    started = time.monotonic()
    timings: list[tuple[str, float]] = []  # each step's wall time (`--debug` prints them)
    clock = [started]

    def lap(step: str) -> None:
        now = time.monotonic()
        timings.append((step, now - clock[0]))
        clock[0] = now

    asked = ask(options)
    lap("ask")
    found = find(paths, options)
    lap("find")
    checkov = locate_checkov(options, asked, found)
    lap("locate_checkov")
    store = Cache(options.cache_dir) if options.cache_dir is not None else None
    read = read_files(found, options)
    found, read = follow_calls(found, read, options)
    lap("read_files")
    selected = select_groups(found, read, options, store)
    lap("select_groups")
    split = _units(selected.groups, checkov)
    keys = cache_keys(store, selected, read, checkov, options, split)
    ahead = checkov_ahead(checkov, store, selected, keys)
    lap("cache_keys, checkov_ahead")
    try:
        cached = read_cache(store, selected, read, checkov, options, keys, split)
        lap("read_cache")
    except BaseException:
        if ahead is not None:
            ahead.cancel()
        raise
    runs = start_checkov(checkov, found, read, selected, cached, options, ahead)
    lap("start_checkov")
    try:
        own = tfgen_pass(found, read, selected, cached, store, options)
        lap("tfgen_pass")
        if options.json_report:
            render_ahead(cached)
            lap("render_ahead")
        checked = collect(runs, own, found, checkov, cached, options)
        lap("collect (waits for checkov)")
    finally:
        runs.cancel()
    write_cache(store, cached, checked)
    lap("write_cache")
    result = report(asked, found, read, selected, cached, checked, checkov, store, options, started)
    lap("report")
    result.timings = timings
    return result


# --- 1. what was asked ------------------------------------------------------------------------


@dataclass(frozen=True)
class Asked:
    checks: tuple[str, ...]  # --check's ids, each known and selectable
    skip_checks: tuple[str, ...]
    baseline: frozenset[baseline_file.Key]  # --baseline's entries, loaded before the run so a bad file fails fast

    @property
    def checkov_checks(self) -> list[str]:
        return [c for c in self.checks if _is_checkov_id(c)]


def _is_checkov_id(check_id: str) -> bool:
    return check_id.startswith("CKV")


def ask(options: ValidateOptions) -> Asked:
    checks = selected_ids(options.checks, "--check")
    skip_checks = selected_ids(options.skip_checks, "--skip-check")
    return Asked(checks, skip_checks, frozenset(baseline_file.load(options.baseline) if options.baseline else ()))


# --- 2. the files, and checkov ----------------------------------------------------------------


@dataclass(frozen=True)
class Changed:
    """`--changed-since`: the files git says changed, as paths and as findings name them."""

    paths: frozenset[str]  # absolute, spelled from each PATH's directory as discovery spells files
    displays: frozenset[str]
    called: frozenset[str] = frozenset()  # what changed files called at REF, resolved (`changed.Changes`)
    unknown: bool = False  # a changed file's calls at REF could not be read: every group is checked
    trees: frozenset[str] = frozenset()  # submodules whose commit changed: every file in them changed

    @classmethod
    def of(cls, discovery: Discovery, ref: str) -> Changed:
        roots = discovery.roots
        found = changed.changed_files({str(r.directory): r.arg for r in roots}, ref)
        paths = found.paths
        displays: set[str] = set()
        for root in roots:
            base = os.path.join(str(root.directory), "")
            displays.update(root.display(Path(p[len(base) :]).as_posix()) for p in paths if p.startswith(base))
        return cls(paths, frozenset(displays), found.called, found.unknown, found.trees)

    def touches(self, group: Group) -> bool:
        """Does the group hold a changed file (one deleted from its directories included), or a module
        a changed file called at REF (a call the change removed leaves it out of the caller's group)?"""
        files = {str(c.path) for c in group.candidates} | {str(o.path) for o in group.others}
        if not self.paths.isdisjoint(files) or not self.paths.isdisjoint(group.deps.keys() | group.reads.keys()):
            return True
        dirs = {*group.dirs, *group.dep_dirs}
        if self.unknown or (self.called and not self.called.isdisjoint(os.path.realpath(d) for d in dirs)):
            return True
        if any(d == t or d.startswith(os.path.join(t, "")) for d in dirs for t in self.trees):
            return True
        return any(os.path.dirname(p) in dirs and not os.path.lexists(p) for p in self.paths)


@dataclass(frozen=True)
class Found:
    discovery: Discovery
    places: Places
    warnings: tuple[str, ...]  # PATHs without Terraform files
    changed: Changed | None = None  # with --changed-since

    def owned(self, display: str, options: ValidateOptions) -> bool:
        """Is this file (as findings name it) this run's: this shard's, and changed with --changed-since?"""
        shard = options.shard
        if self.changed is not None and display not in self.changed.displays:
            return False
        return shard is None or shard_mod.owner(display, shard[1]) == shard[0]


def find(paths: list[str] | tuple[str, ...], options: ValidateOptions) -> Found:
    discovery = discover(list(paths), options.max_file_bytes, allow_empty=not options.require_files)
    # a pre-commit or CI run on a repository without Terraform passes, saying so (--require-files: exit 2)
    empty = tuple(
        f"no Terraform files (.tf, .tfvars, .tf.json) under {root.arg}: nothing to check (--require-files makes "
        "this exit 2)"
        for root in discovery.empty
    )
    written = [("--output", output, "report") for output in options.outputs]
    if options.create_baseline is not None:
        written.append(("--create-baseline", options.create_baseline, "baseline"))
    for flag, path, what in written:
        if (overwritten := scanned_file_at(discovery, path)) is not None:
            raise UsageError(
                f"{flag} {path}: is {overwritten.display}, a file being checked; write the {what} elsewhere"
            )
    since = Changed.of(discovery, options.changed_since) if options.changed_since is not None else None
    return Found(discovery, Places.of(discovery), empty, since)


def locate_checkov(options: ValidateOptions, asked: Asked, found: Found) -> CheckovSetup | None:
    """The checkov this run starts, or None (--skip-checkov, --check of tfgen ids only, nothing to check)."""
    checkov_checks = asked.checkov_checks
    if not (options.run_checkov and (not asked.checks or checkov_checks) and found.discovery.candidates):
        return None
    scratch.sweep()  # copies left by a tfgen that was killed (never a live run's)
    timeout = checkov_run.resolve_timeout(options.checkov_timeout)
    executable = checkov_env.locate(options.checkov)
    return CheckovSetup(
        executable, timeout, checkov_checks or None, [c for c in asked.skip_checks if _is_checkov_id(c)] or None
    )


@dataclass(frozen=True)
class Read:
    contents: Mapping[str, bytes]  # path -> bytes of every file read
    findings: tuple[Finding, ...]  # this shard's notes and unreadable files
    unread: tuple[str, ...]  # this shard's Terraform files that could not be read, as findings name them


def read_files(found: Found, options: ValidateOptions) -> Read:
    """Each file's bytes, read once with O_NOFOLLOW and a size limit; the notes and what cannot be read as findings."""
    discovery = found.discovery
    contents: dict[str, bytes] = {}
    findings: list[Finding] = []
    unread: list[str] = []
    _read_into(found, options, discovery.notes, discovery.candidates, discovery.others, contents, findings, unread)
    return Read(contents, tuple(findings), tuple(unread))


def _read_into(
    found: Found,
    options: ValidateOptions,
    notes: Iterable[Note],
    candidates: Iterable[Candidate],
    others: Iterable[OtherFile],
    contents: dict[str, bytes],
    findings: list[Finding],
    unread: list[str],
) -> None:
    for note in notes:
        display = note.root.display(note.rel)
        if found.owned(display, options):
            findings.append(
                run_finding(
                    READ,
                    FAILED if note.failed else SKIPPED,
                    display,
                    1,
                    message=note.message if note.failed else None,
                    skip_reason=None if note.failed else note.message,
                )
            )
    for candidate in candidates:
        problem: str | None = candidate.problem
        line = 1
        if problem is None:
            try:
                contents[str(candidate.path)] = read_bytes(
                    candidate.target, candidate.display, options.max_file_bytes, follow_symlinks=False
                )
                continue
            except InputFileError as exc:
                problem, line = exc.problem, exc.line or 1
        if found.owned(candidate.display, options):
            unread.append(candidate.display)
            findings.append(
                run_finding(READ, FAILED, candidate.display, line, message=problem, abs_path=str(candidate.path))
            )
    for other in others:
        # Only checkov's secrets framework reads these, from the copy of what tfgen read: one
        # that cannot be read (swapped for a FIFO or a link since discovery, too large) was
        # not checked, which is a failed finding, as for a Terraform file.
        try:
            contents[str(other.path)] = read_bytes(
                other.target, other.root.display(other.rel), MAX_OTHER_FILE_BYTES, follow_symlinks=False
            )
        except InputFileError as exc:
            display = other.root.display(other.rel)
            if found.owned(display, options):
                findings.append(run_finding(READ, FAILED, display, 1, message=exc.problem, abs_path=str(other.path)))


def follow_calls(found: Found, read: Read, options: ValidateOptions) -> tuple[Found, Read]:
    """The modules the tree calls from directories the walk skips (`./.mods/x`, `./node_modules/x`),
    found, read and from here on scanned like any other directory of the tree.

    Terraform and checkov load a called module wherever it sits; a module that only tfgen's walk
    left out would otherwise pass unjudged (a literal AWS key in `./.mods/x` passed with exit 0).
    Calls are followed transitively, into the caller's PATH or another directory PATH of the run
    (the called directory is that PATH's); a call out of every PATH stays a skipped finding
    (`groups.OutsideCall`).
    """
    discovery = found.discovery
    scanned = {os.path.realpath(c.path.parent) for c in discovery.candidates}
    pending = [c for c in discovery.candidates if str(c.path) in read.contents]  # a file PATH's calls too
    roots = [(r, os.path.realpath(r.directory)) for r in discovery.roots if r.file is None]
    grown: Discovery | None = None
    contents = dict(read.contents)
    findings, unread = list(read.findings), list(read.unread)
    while pending:
        caller = pending.pop()
        data = contents[str(caller.path)]
        if b"source" not in data:
            continue
        # the directory PATH holding a called directory, by resolved path as `inside.holds` decides: the
        # caller's, else another of the run (`tfgen validate live modules`, live calling
        # ../modules/.mods/p), whose file it becomes, spelled from that PATH
        order = sorted(roots, key=lambda item: item[0] is not caller.root)
        for source in groups_mod.local_sources(data):
            spelled = os.path.normpath(os.path.join(caller.path.parent, source))
            real = os.path.realpath(spelled)
            holder = next(((r, base) for r, base in order if real.startswith(os.path.join(base, ""))), None)
            if real in scanned or holder is None or not discovery.inside.holds(spelled) or not os.path.isdir(real):
                continue
            scanned.add(real)
            target = os.path.join(str(holder[0].directory), os.path.relpath(real, holder[1]))
            if grown is None:
                grown = replace(
                    discovery,
                    candidates=list(discovery.candidates),
                    notes=list(discovery.notes),
                    checkov_excludes=list(discovery.checkov_excludes),
                    others=list(discovery.others),
                )
            counts = (len(grown.notes), len(grown.candidates), len(grown.others))
            add_called_directory(grown, holder[0], Path(target), options.max_file_bytes)
            added = grown.candidates[counts[1] :]
            notes, others = grown.notes[counts[0] :], grown.others[counts[2] :]
            _read_into(found, options, notes, added, others, contents, findings, unread)
            pending.extend(c for c in added if str(c.path) in contents)
    if grown is None:
        return found, read
    return replace(found, discovery=grown, places=Places.of(grown)), Read(contents, tuple(findings), tuple(unread))


# --- 4. this shard's groups -------------------------------------------------------------------


@dataclass(frozen=True)
class Selected:
    groups: tuple[Group, ...]  # this shard's module-call groups
    file_roots: tuple[Candidate, ...]  # this shard's readable files given as PATHs themselves
    files: int  # this shard's Terraform files, read or not
    covered: frozenset[str]  # how findings name them


def select_groups(found: Found, read: Read, options: ValidateOptions, store: Cache | None = None) -> Selected:
    all_groups = groups_mod.build(found.discovery, dict(read.contents), store)
    if options.shard or found.changed is not None:
        for group in all_groups:
            if group.file_paths:
                flag = "--shard" if options.shard else "--changed-since"
                raise UsageError(
                    f"{flag}: {group.file_paths[0]} is a file given as a PATH, and module calls join it to "
                    f"{group.root.display(group.name)}: {flag} takes module-call groups whole; pass its directory "
                    "as the PATH instead"
                )
    mine = all_groups
    if options.shard:
        index, count = options.shard
        mine = [g for g, s in zip(all_groups, shard_mod.assign(all_groups, count), strict=True) if s == index]
    if found.changed is not None:  # a group linked to a touched one (`Group.linked`) is judged with it
        changed = found.changed
        mine = [g for g in mine if changed.touches(g) or any(changed.touches(linked) for linked in g.linked)]
    file_roots = tuple(
        c
        for c in found.discovery.candidates
        if c.root.file is not None and str(c.path) in read.contents and found.owned(c.display, options)
    )
    files = sum(len(g.candidates) for g in mine) + len(file_roots) + len(read.unread)
    covered = frozenset(
        [*read.unread, *(c.display for g in mine for c in g.candidates), *(c.display for c in file_roots)]
    )
    return Selected(tuple(mine), file_roots, files, covered)


# --- 5. the cache -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cached:
    keys: Mapping[Group, str]  # each group's cache key (none without a cache)
    answered: Mapping[Group, GroupResult]  # groups the cache answered
    pending: tuple[Group, ...]  # the others, to check now
    # a pending group's units, which checkov scans apart (`units`; none without checkov), their
    # cache keys, and checkov's findings for the units the cache answered
    units: Mapping[Group, tuple[Unit, ...]] = field(default_factory=dict)
    unit_keys: Mapping[Group, Mapping[Unit, str]] = field(default_factory=dict)
    unit_answered: Mapping[Group, Mapping[Unit, GroupResult]] = field(default_factory=dict)

    def part(self, group: Group) -> checkov_batches.Part | None:
        """What checkov must scan of a pending group: its units the cache did not answer, else the
        whole group; None when the cache answered every unit."""
        found, answered = self.units.get(group, ()), self.unit_answered.get(group, {})
        missing = tuple(u for u in found if u not in answered)
        if found and not missing:
            return None
        return checkov_batches.Part(group, missing)


def _units(groups: Iterable[Group], checkov: CheckovSetup | None) -> dict[Group, tuple[Unit, ...]]:
    """Each group's units, each decided from the group alone (`units.units_of`): the same in a
    full run, a warm one, a shard or `--changed-since`."""
    if checkov is None:
        return {}
    return {g: found for g in groups if (found := units.units_of(g))}


def cache_keys(
    store: Cache | None,
    selected: Selected,
    read: Read,
    checkov: CheckovSetup | None,
    options: ValidateOptions,
    split: Mapping[Group, tuple[Unit, ...]],
) -> dict[Group, str]:
    """Each selected group's cache key (none without a cache); `split`: `_units`' units."""
    if store is None:
        return {}
    contents = dict(read.contents)
    linked: dict[frozenset[int], str] = {}  # one digest per set of linked groups (`Group.linked`)

    def linked_of(group: Group) -> str:
        members = frozenset(map(id, (group, *group.linked)))
        if members not in linked:
            linked[members] = group_cache.linked_digest(group, contents)
        return linked[members]

    return {
        g: group_cache.key(g, contents, checkov, options.max_file_bytes, split.get(g, ()), linked_of(g))
        for g in selected.groups
    }


def read_cache(
    store: Cache | None,
    selected: Selected,
    read: Read,
    checkov: CheckovSetup | None,
    options: ValidateOptions,
    keys: Mapping[Group, str],
    split: Mapping[Group, tuple[Unit, ...]],
) -> Cached:
    """Every group whose key has a sound entry answered from it (`cache_keys`' keys, `_units`' units)."""
    if store is None:
        return Cached({}, {}, selected.groups, split)
    contents = dict(read.contents)
    answered = {g: r for g in selected.groups if (r := group_cache.get(store, keys[g])) is not None}
    # Linked groups are judged together (their modules' values cross them): a lost entry of one (pruned,
    # damaged) has the others judged again too, never answered from the cache beside it.
    # A group linked to a file given as a PATH is judged with it, on every run (`Group.file_paths`).
    stale = {linked for g in selected.groups if g not in answered for linked in g.linked}
    stale.update(g for g in selected.groups if g.file_paths)
    answered = {g: r for g, r in answered.items() if g not in stale}
    pending = tuple(g for g in selected.groups if g not in answered)
    split = {g: found for g, found in split.items() if g not in answered}
    unit_keys: dict[Group, dict[Unit, str]] = {}
    unit_answered: dict[Group, dict[Unit, GroupResult]] = {}
    for group, found in split.items():
        unit_keys[group] = {u: group_cache.unit_key(group, u, contents, checkov, options.max_file_bytes) for u in found}
        unit_answered[group] = {
            u: r for u, k in unit_keys[group].items() if (r := group_cache.get_unit(store, k)) is not None
        }
    return Cached(keys, answered, pending, split, unit_keys, unit_answered)


def write_cache(store: Cache | None, cached: Cached, checked: Checked) -> None:
    if store is None:
        return
    for group, result in checked.groups.items():
        if result.cacheable and not group.file_paths:  # judged with a file PATH's values: not for a run without it
            group_cache.put(store, cached.keys[group], result)
    for group, found in checked.units.items():
        for unit, result in found.items():
            if unit in cached.unit_keys.get(group, {}):
                group_cache.put_unit(store, cached.unit_keys[group][unit], result)
    store.prune()


# --- 6. checkov, started ----------------------------------------------------------------------


@dataclass(frozen=True)
class Runs:
    """checkov running: a batch per part of the pending groups of each PATH, and a run for the file PATHs."""

    batches: tuple[checkov_batches.Batch, ...] = ()
    file_runs: tuple[checkov_run.CheckovRun, ...] = ()

    def cancel(self) -> None:
        for batch in self.batches:
            batch.cancel()
        for run in self.file_runs:
            if run.running:
                run.cancel()


def checkov_ahead(
    checkov: CheckovSetup | None, store: Cache | None, selected: Selected, keys: Mapping[Group, str]
) -> checkov_run.CheckovRun | None:
    """checkov, started before what it scans is known (`checkov_run.ahead`): its import runs while
    tfgen reads its cache and runs its own pass; `start_checkov` gives it the first batch, or
    stops it. Not where the cache can answer the whole run (every group has an entry, no file
    PATH, no group judged with one): such a run needs no checkov, and an import beside tfgen's
    work makes it 0.2 s slower (bench x8, 0.9 s)."""
    if checkov is None:
        return None
    answerable = (
        store is not None
        and not selected.file_roots
        and not any(g.file_paths for g in selected.groups)
        and all(group_cache.has(store, key) for key in keys.values())
    )
    return None if answerable else checkov_run.ahead(checkov.executable, checkov.timeout)


def start_checkov(
    checkov: CheckovSetup | None,
    found: Found,
    read: Read,
    selected: Selected,
    cached: Cached,
    options: ValidateOptions,
    ahead: checkov_run.CheckovRun | None = None,
) -> Runs:
    """A batch per part of the pending groups, and a run for the file PATHs; the first of them
    on `ahead`, which is stopped when nothing is left for checkov to scan."""
    batches: list[checkov_batches.Batch] = []
    file_runs: list[checkov_run.CheckovRun] = []
    try:
        if checkov is None:
            return Runs()
        checks, skip_checks, timeout = checkov.checks, checkov.skip_checks, checkov.timeout
        contents = dict(read.contents)
        for root in found.discovery.roots:
            todo = [p for g in cached.pending if g.root is root and (p := cached.part(g)) is not None]
            # Never in place: checkov follows `source = "../x"` wherever it leads, so it only ever
            # sees a copy, padded so that no `..` leaves it (see `checkov_batches.padding`).
            for part in checkov_batches.plan(todo, options.checkov_jobs) if todo else ():
                batches.append(
                    checkov_batches.start(
                        checkov.executable,
                        part,
                        contents,
                        checks=checks,
                        skip_checks=skip_checks,
                        timeout=timeout,
                        ahead=ahead,
                    )
                )
                ahead = None
        if selected.file_roots:
            file_runs = checkov_run.start(
                checkov.executable,
                directories=[],
                files=[c.path for c in selected.file_roots],
                excludes=found.discovery.checkov_excludes,
                checks=checks,
                skip_checks=skip_checks,
                timeout=timeout,
                ahead=ahead,
            )
            ahead = None
    except BaseException:
        Runs(tuple(batches)).cancel()
        raise
    finally:
        if ahead is not None:  # not given a batch: nothing left to scan, or a start failed first
            ahead.cancel()
    if (batches or file_runs) and options.yield_cpu:
        _yield_cpu()
    return Runs(tuple(batches), tuple(file_runs))


def _yield_cpu() -> None:
    """checkov is the critical path; tfgen's parsing fills the cores checkov leaves idle.

    Measured with bench/run.py on 2 cores: without this, parsing slows checkov by 10-15 %.
    Niceness cannot be raised back without privileges, so only a process that exits after the
    run (the CLI) asks for it; checkov's processes, started before, keep their priority.
    """
    try:
        os.nice(YIELD_NICENESS)
    except (AttributeError, OSError):  # not POSIX, or not allowed: merely slower
        pass


def render_ahead(cached: Cached) -> None:
    """The JSON text of every finding the cache answered (`Finding.json_text`), written while
    checkov scans the rest, so that only checkov's findings are written after it ends: on bench
    x8's one-file edit 27,318 findings of the report, 0.15 s."""
    for result in [*cached.answered.values(), *(r for found in cached.unit_answered.values() for r in found.values())]:
        for finding in result.findings:
            finding.json_text  # noqa: B018  computed and kept on the finding


# --- 7. tfgen's own pass ----------------------------------------------------------------------


@dataclass(frozen=True)
class TfgenPass:
    groups: Mapping[Group, GroupResult]  # each pending group's tfgen findings
    files: GroupResult  # the file PATHs' tfgen findings
    modules: Mapping[str, Module]  # directory -> the module its parsed files make


def tfgen_pass(
    found: Found, read: Read, selected: Selected, cached: Cached, store: Cache | None, options: ValidateOptions
) -> TfgenPass:
    """Parse (the syntax gate) and run tfgen's rules over each pending group and the file PATHs."""
    by_group: dict[Group, list[Finding]] = {g: [] for g in cached.pending}
    by_file_paths: list[Finding] = []
    # each file with the list its findings join: its group's, or the file PATHs'
    owners = [(by_group[g], c) for g in cached.pending for c in g.candidates] + [
        (by_file_paths, c) for c in selected.file_roots
    ]
    items = [(c.path.name, c.display, read.contents[str(c.path)]) for _, c in owners]
    parsed = parsing.parse_all(
        items, store=store, jobs=options.parse_jobs, cores=checkov_batches.available_cores(), progress=options.progress
    )
    outside = [(by_group[g], call) for g in cached.pending for call in g.outside] + [
        (by_file_paths, call)
        for c in selected.file_roots
        for call in groups_mod.file_outside_calls(c, read.contents[str(c.path)], found.discovery)
    ]
    for owner, call in outside:  # calls to modules outside every PATH: not read, say so
        owner.append(run_finding(READ, SKIPPED, call.display, call.line, skip_reason=call.reason))
    modules: dict[str, Module] = {}
    module_owner: dict[str, list[Finding]] = {}
    for (owner, candidate), outcome in zip(owners, parsed, strict=True):
        owner.extend(_gate(candidate, outcome, modules))
        module_owner.setdefault(str(candidate.path.parent), owner)
    link_calls(modules)
    for group in cached.pending:  # the files each module's Terraform reads, as the group read and hashed them
        for directory in group.dirs:
            if directory in modules:
                modules[directory].reads = group.reads
                modules[directory].roots = group.roots.get(directory, [])
    for directory, module in modules.items():
        module_owner[directory].extend(rule_findings(module))
    return TfgenPass(
        {g: GroupResult(tuple(found)) for g, found in by_group.items()}, GroupResult(tuple(by_file_paths)), modules
    )


def _gate(candidate: Candidate, outcome: parsing.Parsed, modules: dict[str, Module]) -> list[Finding]:
    """The syntax gate for one file; a parsed file joins its directory's module."""
    if isinstance(outcome, HclSyntaxError):
        return [
            run_finding(
                SYNTAX,
                FAILED,
                candidate.display,
                outcome.line or 1,
                message=outcome.problem,
                abs_path=str(candidate.path),
            )
        ]
    if isinstance(outcome, InputFileError):
        return [
            run_finding(
                READ,
                FAILED,
                candidate.display,
                outcome.line or 1,
                message=outcome.problem,
                abs_path=str(candidate.path),
            )
        ]
    directory = str(candidate.path.parent)
    module = modules.get(directory)
    if module is None:
        module = modules[directory] = Module(candidate.path.parent)
    try:
        module.add(SourceFile(candidate, outcome))
    except Exception as exc:  # a reader bug must not pass the file, nor print a traceback
        return [
            run_finding(
                INTERNAL,
                FAILED,
                candidate.display,
                1,
                message=f"{type(exc).__name__}: {exc}",
                abs_path=str(candidate.path),
            )
        ]
    return []


# --- 8. checkov's reports, collected ----------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    groups: Mapping[Group, GroupResult]  # each pending group's findings from both engines
    files: GroupResult  # the file PATHs' findings from both engines
    units: Mapping[Group, Mapping[Unit, GroupResult]] = field(default_factory=dict)  # checkov's, for the cache


def collect(
    runs: Runs, own: TfgenPass, found: Found, checkov: CheckovSetup | None, cached: Cached, options: ValidateOptions
) -> Checked:
    """Wait for each checkov run; its findings join those of the group (or file PATHs) they belong to."""
    modules = own.modules
    files = own.files
    for run in runs.file_runs:
        output = run.wait()
        _require_evaluated(
            [output],
            (n for m in modules.values() for n in m.nodes if n.file.candidate.root.file is not None),
            found.places,
            checkov,
        )
        files = files.joined(checkov_findings(output, found.places, modules), checkov_version=output.version)
    groups = dict(own.groups)
    for group, answered in cached.unit_answered.items():  # checkov's findings for the units the cache answered
        for result in answered.values():
            groups[group] = groups[group].joined(list(result.findings), checkov_version=result.checkov_version)
    fresh: dict[Group, dict[Unit, GroupResult]] = {}
    # a pending group no batch scans (the cache answered each of its units) is done already
    scanned = len(groups) - len({p.group for b in runs.batches for p in b.parts})
    _progress(options, "checkov", scanned, len(groups))
    for batch in runs.batches:
        batch.wait()
        directories = {str(c.path.parent) for p in batch.parts for c in p.group.candidates} & set().union(
            *(p.dirs for p in batch.parts)
        )
        _require_evaluated(
            [*batch.outputs.values(), batch.stray],
            (n for d in directories if d in modules for n in modules[d].nodes if n.file.candidate.root.file is None),
            found.places,
            checkov,
        )
        for index, part in enumerate(batch.parts):
            group, output = part.group, batch.outputs[index]
            if part.units:  # each unit's findings apart, for the cache
                fresh[group] = {
                    u: GroupResult(tuple(checkov_findings(o, found.places, modules)), output.version)
                    for u, o in batch.unit_outputs[index].items()
                }
                findings = [f for r in fresh[group].values() for f in r.findings]
            else:
                findings = checkov_findings(output, found.places, modules)
            if index == 0:  # what matched no part is reported, with the first
                findings += checkov_findings(batch.stray, found.places, modules)
            groups[group] = groups[group].joined(findings, checkov_version=output.version, cacheable=batch.attributed)
            scanned += 1
            _progress(options, "checkov", scanned, len(groups))
    return Checked(groups, files, fresh if all(b.attributed for b in runs.batches) else {})


def _progress(options: ValidateOptions, stage: str, done: int, total: int) -> None:
    if options.progress:
        options.progress(stage, done, total)


def _require_evaluated(
    outputs: Iterable[checkov_run.CheckovOutput], nodes: Iterable[Node], places: Places, checkov: CheckovSetup | None
) -> None:
    """An empty report on files holding a block checkov certainly evaluates is refused (exit 2)."""
    outputs = list(outputs)
    # Results about files outside every PATH are dropped from the report (never read, never
    # printed), so they cannot stand for "checkov evaluated this tree" either. One inside is
    # enough: `any` stops at the first, so the lookup is not repeated over every result
    # (`checkov_findings` resolves each one again).
    inside = any(places.display(r.abs_path) is not None for o in outputs for r in o.results)
    require_evaluated(
        int(inside),
        sum(len(o.parsing_errors) + o.unnamed_parsing_errors for o in outputs),
        empty_report.blocks_of(nodes),
        checkov.checks if checkov else None,
        checkov.skip_checks if checkov else None,
    )


# --- 9. the report ----------------------------------------------------------------------------


def report(
    asked: Asked,
    found: Found,
    read: Read,
    selected: Selected,
    cached: Cached,
    checked: Checked,
    checkov: CheckovSetup | None,
    store: Cache | None,
    options: ValidateOptions,
    started: float,
) -> Report:
    """Both engines' findings with --check/--skip-check and the baseline applied, sorted by file and line."""
    results = [checked.groups[g] if g in checked.groups else cached.answered[g] for g in selected.groups] + [
        checked.files
    ]
    findings = _dedupe([*read.findings, *(f for r in results for f in r.findings)])
    checks, skip_checks = asked.checks, asked.skip_checks
    if checks:
        wanted = set(checks) | UNEVALUATED | {SKIP_REASON_ID}
        findings = [f for f in findings if f.id in wanted]
    if skip_checks:
        unwanted = set(skip_checks)
        findings = [f for f in findings if f.id not in unwanted]
    # unread or unparsed files (a checkov parse error skipped inline too); a skipped TFGEN_READ names a
    # module call left unread, in a file that was itself checked
    unchecked = {
        f.file
        for f in findings
        if (f.status == FAILED and f.id in UNEVALUATED) or (f.status == SKIPPED and f.id == SYNTAX)
    }

    def in_scope(entry: baseline_file.Key) -> bool:
        """Could this run have matched a baseline entry? Its file was read and parsed here, and its check ran."""
        check_id, file, *_ = entry
        ran = (
            (not checks or check_id in checks)
            and check_id not in skip_checks
            and (checkov is not None or not _is_checkov_id(check_id))
        )
        return ran and file in selected.covered and file not in unchecked

    findings, baseline_outcome = baseline_file.settle(
        findings, options.baseline, set(asked.baseline), options.create_baseline, in_scope, _flagged_line(found, read)
    )
    warnings = [*found.warnings, *(store.warnings() if store is not None else [])]
    if baseline_outcome is not None and baseline_outcome.unfingerprinted_secrets and options.baseline is not None:
        warnings.append(
            f"baseline {options.baseline.name}: {baseline_outcome.unfingerprinted_secrets} entries of secret checks "
            "predate fingerprints and accept nothing: re-create them with --baseline and --create-baseline both "
            "naming this file"
        )
    findings.sort(key=Finding.sort_key)
    return Report(
        findings=findings,
        files=selected.files,
        roots=[r.arg for r in found.discovery.roots],
        checkov_ran=checkov is not None,  # fresh or from the cache, its results are in
        checkov_version=next((r.checkov_version for r in results if r.checkov_version), None),
        duration_seconds=time.monotonic() - started,
        warnings=warnings,
        shard=list(options.shard) if options.shard else None,
        changed_since=options.changed_since,
        file_base=_file_base(found.discovery.roots),
        baseline=baseline_outcome,
        fail_on=options.fail_on,
        soft_fail=options.soft_fail,
        settings=options.settings,
    )


def _flagged_line(found: Found, read: Read) -> baseline_file.FlaggedLine:
    """The text of the line a finding flags, from the bytes read once (never read again): what a
    baseline entry's fingerprint pins; "" for a file tfgen did not read."""
    paths = {c.display: str(c.path) for c in found.discovery.candidates}
    paths.update((o.root.display(o.rel), str(o.path)) for o in found.discovery.others)
    lines: dict[str, list[str]] = {}

    def flagged_line(finding: Finding) -> str:
        if finding.file not in lines:
            data = read.contents.get(paths.get(finding.file, ""))
            lines[finding.file] = data.decode("utf-8", "surrogateescape").splitlines() if data is not None else []
        text = lines[finding.file]
        return text[finding.line - 1] if 0 < finding.line <= len(text) else ""

    return flagged_line


def _file_base(roots: list[ScanRoot]) -> str:
    """What goes before a finding's `file` to name the file from the working directory (`Report.file_base`).

    Several PATHs already put the PATH as typed before `file`. One PATH typed relative is put
    before it as typed (`../tree`); one typed absolute only when it lies under the working
    directory (as a relative path): outside it, `file` stays relative to the PATH rather than
    become absolute or climb out with `../..`.
    """
    if len(roots) != 1:
        return ""
    root = roots[0]
    typed = Path(root.arg).parent if root.file is not None else Path(root.arg)
    if typed.is_absolute():
        try:
            inside = os.path.relpath(root.directory)
        except ValueError:  # another drive (Windows)
            return ""
        if inside == os.pardir or inside.startswith(os.pardir + os.sep):
            return ""
        base = Path(inside).as_posix()
    else:
        base = posixpath.normpath(typed.as_posix())
    return "" if base == "." else base


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[object, ...]] = set()
    out: list[Finding] = []
    for finding in findings:
        key = (finding.id, finding.status, finding.file, finding.line, finding.resource, finding.engine)
        if key in seen:
            continue
        seen.add(key)
        out.append(finding)
    return out
