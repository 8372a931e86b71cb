"""The importable API behind `tfgen update`: render again, merge each file three ways, prove, write.

For every file the new render holds, the base is the text tfgen rendered last time (kept in the
manifest), ours the file as it is now, theirs the new render:

- a file nobody edited takes the new render; a file only the team edited keeps the team's text;
- a file both changed is merged by lines (`tfgen.update.merge`); a clash is written between
  git-style markers, listed, and the run exits 1;
- a file the new render adds is added (beside a file of the team's at that path: merged without a
  base, so every difference is a conflict);
- a file the new render drops is removed when unedited, otherwise kept and listed;
- a file the team deleted stays deleted unless the new render changes it.

The proof then holds for the merged tree: each merged HCL file is parsed back and its top-level
blocks compared three ways (a block one side left alone must read as the other side's block; a
block the team added is the team's); a file where the line merge broke that, or that no longer
parses, is written as one conflict for the team to merge. The merged tree is compared with the
blueprint model (what differs is the team's edit, listed) and checked by checkov (a failure in a
file the team edited, or in a module whose call the team edited, is listed as theirs; one elsewhere
is tfgen's and refuses the update).

Everything is read, merged and written under init's lock and in its transaction
(`tfgen.tree.writer`): an interrupted or concurrent update leaves the whole old tree or the
whole new one.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from tfgen.cache.store import Cache
from tfgen.errors import InternalError, UsageError
from tfgen.hcl.read import ParsedFile
from tfgen.init import answers, api, blueprint_model
from tfgen.init.api import CheckovSummary, Progress, ProgressLine, next_steps
from tfgen.init.config import BaselineConfig
from tfgen.init.render import BLUEPRINT_VERSION
from tfgen.init.verify import compare, is_hcl
from tfgen.tree import manifest, writer
from tfgen.tree.manifest import MANIFEST_PATH, Manifest, sha256
from tfgen.update import merge as merge3

__all__ = ["ProgressLine", "next_steps", "run", "update_tree"]

COMMAND = "tfgen update"  # how the tree's lock, recovery and transaction name this writer to the user

# What each file became, in the order the CLI lists them.
TAKEN = "updated"  # unedited: the new render
KEPT = "kept"  # only the team changed it: the team's text
MERGED = "merged"  # both changed it, no clash
CONFLICT = "conflict"  # written with markers (or as a whole, see `Outcome.why`)
ADDED = "added"
REMOVED = "removed"
KEPT_DROPPED = "kept, no longer rendered"  # the new render drops it, the team edited it
DELETED = "kept deleted"  # the team deleted it, the new render does not change it
UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Outcome:
    path: str
    what: str
    why: str = ""  # for a conflict: what clashed


@dataclass
class UpdateResult:
    out: Path
    plan: writer.Plan
    outcomes: list[Outcome]
    blueprint_from: str
    blueprint_to: str
    users_blocks: list[str] = field(default_factory=list)  # "main.tf: resource.aws_sns_topic.team"
    departures: list[str] = field(default_factory=list)  # how the team's edits differ from the blueprint model
    checkov: CheckovSummary | None = None
    checkov_yours: list[str] = field(default_factory=list)  # checkov failures in files the team edited
    warnings: list[str] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return bool(self.plan.changes)

    def of(self, what: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.what == what]

    @property
    def conflicts(self) -> list[Outcome]:
        return self.of(CONFLICT)


def labels(previous: Manifest) -> merge3.Labels:
    was = previous.blueprint_version or "?"
    base = f"tfgen's last render (blueprint {was})"
    if not previous.rendered:
        base = f"tfgen's last render (blueprint {was}, text not kept by the tfgen that wrote it)"
    return merge3.Labels(ours="yours", base=base, theirs=f"tfgen's new render (blueprint {BLUEPRINT_VERSION})")


@dataclass(frozen=True)
class _File:
    """One path's three versions and what the merge made of it."""

    path: str
    base: bytes | None  # None: not rendered last time, or its text not kept
    ours: bytes | None  # None: not on disk
    theirs: bytes
    result: bytes | None  # None: nothing to write (the team's deletion stands)
    what: str
    why: str = ""
    merged: bool = True  # False: left as the team has it, so the manifest keeps the old base for it


def merge_file(path: str, previous: Manifest, ours: bytes | None, theirs: bytes, names: merge3.Labels) -> _File:
    """What one file the new render holds becomes (see the module docstring); no I/O."""
    recorded = previous.files.get(path)
    text = previous.rendered.get(path)
    base = text.encode("utf-8") if text is not None else None
    if base is None and recorded is not None and sha256(theirs) == recorded:
        base = theirs  # the text was not kept, but the new render hashes to what was rendered: it is the base
    if ours is None:
        if recorded is None:
            return _File(path, base, ours, theirs, theirs, ADDED)
        if base == theirs:
            return _File(path, base, ours, theirs, None, DELETED)
        return _File(
            path, base, ours, theirs, theirs, CONFLICT, "you deleted it; the new render changes it: written again"
        )
    if ours == theirs:
        return _File(path, base, ours, theirs, ours, UNCHANGED)
    if _has_markers(ours):
        why = "yours still holds conflict markers: resolve them, then update again"
        return _File(path, base, ours, theirs, ours, CONFLICT, why, merged=False)
    if recorded is not None and sha256(ours) == recorded:
        return _File(path, base, ours, theirs, theirs, TAKEN)
    if base is not None:
        result = merge3.merge_bytes(base, ours, theirs)
        if result.clean:
            return _File(path, base, ours, theirs, result.text(names), KEPT if base == theirs else MERGED)
        return _File(path, base, ours, theirs, result.text(names), CONFLICT, f"{result.conflicts} clash(es) marked")
    why = (
        "yours and the new render differ, and the tfgen that wrote it kept no text to merge against"
        if recorded is not None
        else "yours, at a path the new render adds"
    )
    result = merge3.two_way(ours, theirs)
    return _File(path, base, ours, theirs, result.text(names), CONFLICT, f"{why}: every difference marked")


def _has_markers(data: bytes) -> bool:
    """Whether `data` holds a whole set of conflict markers (a line starting each of <<<<<<<, ======= and >>>>>>>)."""
    starts = {line[:8] for line in merge3.lines(data)}
    return {merge3.OURS_MARKER + b" ", merge3.SEPARATOR + b"\n", merge3.THEIRS_MARKER + b" "} <= starts


def _as_one_conflict(one: _File, names: merge3.Labels, why: str) -> _File:
    """The whole file as a single conflict: the line merge was not trusted."""
    assert one.ours is not None
    base = merge3.lines(one.base or b"")
    ours, theirs = merge3.lines(one.ours), merge3.lines(one.theirs)
    whole = merge3.Region("conflict", (0, len(base)), (0, len(ours)), (0, len(theirs)))
    text = merge3.Merge(base, ours, theirs, (whole,)).text(names)
    return _File(one.path, one.base, one.ours, one.theirs, text, CONFLICT, why)


# --- the proof on merged files ----------------------------------------------------------------------

_ABSENT: Any = object()


def _blocks(parsed: ParsedFile) -> dict[str, Any]:
    """Each top-level block's body (normalised) by its address, e.g. `resource.aws_kms_key.this`; repeats numbered."""
    from tfgen.hcl.values import block_bodies

    found: dict[str, Any] = {}
    for block, body in block_bodies(parsed):
        name = ".".join((block.type, *block.labels))
        key, n = name, 1
        while key in found:  # a second `locals {}` or `terraform {}`
            n += 1
            key = f"{name}#{n}"
        found[key] = body
    return found


def _parse(items: Mapping[str, bytes], store: Cache | None) -> dict[str, ParsedFile | None]:
    """python-hcl2's reading of each file (None where it does not parse), through the parse cache."""
    from tfgen.hcl import parsing

    names = sorted(items)
    batch = [(PurePosixPath(n).name, n, items[n]) for n in names]
    outcomes = parsing.parse_all(batch, store=store, jobs=1)
    return {n: o if isinstance(o, ParsedFile) else None for n, o in zip(names, outcomes, strict=True)}


def _block_problems(base: ParsedFile | None, ours: ParsedFile, theirs: ParsedFile, merged: ParsedFile) -> list[str]:
    """Blocks the line merge made into something neither side says.

    A block one side left alone must read as the other side's block.
    """
    b = _blocks(base) if base is not None else {}
    o, t, m = _blocks(ours), _blocks(theirs), _blocks(merged)
    problems = []
    for key in sorted(set(b) | set(o) | set(t) | set(m)):
        vb, vo, vt, vm = (x.get(key, _ABSENT) for x in (b, o, t, m))
        if _same(vo, vb) and not _same(vm, vt):
            problems.append(f"{key} is not the new render's")
        elif _same(vt, vb) and not _same(vm, vo):
            problems.append(f"{key} is not yours")
        elif _same(vo, vt) and not _same(vm, vo):
            problems.append(f"{key} is not the one both sides have")
    return problems


def _address(key: str) -> str:
    """A block key as `verify.addresses` spells it: `resource.aws_s3_bucket.x` -> `aws_s3_bucket.x`."""
    kind, _, rest = key.partition(".")
    return rest if kind == "resource" else key


def _same(a: Any, b: Any) -> bool:
    return a is b if _ABSENT in (a, b) else bool(a == b)


def prove(
    files: list[_File], config: Any, store: Cache | None, names: merge3.Labels
) -> tuple[list[_File], list[str], list[str]]:
    """(the files, a distrusted merge made a conflict), the team's own blocks, the model's differences.

    Only files whose text is neither the new render's nor left as the team has it are read: every
    other file is the new render's, which init's proof and the blueprints' tests prove. The
    differences from the blueprint model are the team's edits: every block the team left alone
    reads as the new render's.
    """
    merged_hcl = [f for f in files if f.what in (KEPT, MERGED) and is_hcl(f.path)]
    wanted: dict[str, bytes] = {}
    for f in merged_hcl:
        assert f.ours is not None and f.result is not None
        wanted[f"ours/{f.path}"] = f.ours
        wanted[f"merged/{f.path}"] = f.result
        wanted[f"theirs/{f.path}"] = f.theirs
        if f.base is not None:
            wanted[f"base/{f.path}"] = f.base
    parsed = _parse(wanted, store)
    checked: dict[str, _File] = {}
    users_blocks: list[str] = []
    for f in merged_hcl:
        ours, merged, theirs = parsed[f"ours/{f.path}"], parsed[f"merged/{f.path}"], parsed[f"theirs/{f.path}"]
        base = parsed.get(f"base/{f.path}")
        if theirs is None:
            raise InternalError(f"{f.path}: the new render does not parse")
        if ours is None:
            why = "yours does not parse: left as it is; fix it, then update again"
            checked[f.path] = _File(f.path, f.base, f.ours, f.theirs, f.ours, CONFLICT, why, merged=False)
            continue
        if merged is None:
            checked[f.path] = _as_one_conflict(f, names, "the merged text does not parse: left whole for you to merge")
            continue
        problems = _block_problems(base, ours, theirs, merged)
        if problems:
            checked[f.path] = _as_one_conflict(f, names, f"the line merge is not trusted ({'; '.join(problems[:3])})")
            continue
        base_blocks = _blocks(base) if base is not None else _blocks(theirs)
        users_blocks += [f"{f.path}: {key}" for key in _blocks(ours) if key not in base_blocks]
    result = [checked.get(f.path, f) for f in files]
    # The model, on each merged file that differs from the new render and parses (conflicts aside).
    present: dict[str, ParsedFile] = {}
    for f in result:
        merged = parsed.get(f"merged/{f.path}")
        if f.what != CONFLICT and f.result != f.theirs and merged is not None:
            present[f.path] = merged
    expects = [e for e in blueprint_model.expectations(config) if e.file in present]
    addresses = {p: found for p, found in blueprint_model.resource_addresses(config).items() if p in present}
    departures = compare(present, expects, addresses)
    # A resource of the team's own is listed once, as theirs, not again as an unexpected address.
    own = {f"{block.split(': ', 1)[0]}: unexpected {_address(block.split(': ', 1)[1])}" for block in users_blocks}
    departures = [p for p in departures if p not in own]
    return result, users_blocks, departures


# --- whose a checkov failure is ------------------------------------------------------------------

# One step of a module address, as checkov writes it: `module.cloudtrail.` or `module.buckets["audit"].`.
_MODULE_STEP = re.compile(r"module\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[[^\]]*\])?\.")


@dataclass(frozen=True)
class _Call:
    """A `module "name"` block with a local source: the file holding it and the directory it calls."""

    file: str
    source: str  # relative to the tree; "" for the tree itself


class Ownership:
    """Whose a checkov failure on the merged tree is: the team's, or tfgen's.

    A failure is the team's when its file is one the team edited, or when it is in a module the
    team's edit configures: checkov evaluates a module's resources with the values its caller
    passes, so `log_retention_days = 30` in main.tf's `module "cloudtrail"` fails a check in
    modules/cloudtrail/main.tf. The module is the one the failure's address names
    (`module.cloudtrail.aws_cloudwatch_log_group.this`, each step's call read in the directory
    of the step before), else any module a call in an edited file reaches.
    """

    def __init__(self, edited: set[str], files: Mapping[str, bytes], store: Cache | None) -> None:
        self.edited = edited
        self._files = files
        self._store = store
        self._calls: dict[str, dict[str, _Call]] | None = None

    def teams(self, path: str, resource: str | None) -> bool:
        if path in self.edited:
            return True
        chain = _MODULE_STEP.findall(resource or "")
        if not chain and "/" not in path:
            return False  # a file of the tree itself the team did not edit
        calls = self.calls()
        if chain:
            directory = ""
            for name in chain:
                call = calls.get(directory, {}).get(name)
                if call is None:
                    return False
                if call.file in self.edited:
                    return True
                directory = call.source
            return False
        return any(path.startswith(f"{directory}/") for directory in self._reached(calls))

    def calls(self) -> dict[str, dict[str, _Call]]:
        """Each directory's local module calls by name (parsed once, through the parse cache)."""
        if self._calls is None:
            from tfgen.hcl.values import block_bodies

            found: dict[str, dict[str, _Call]] = {}
            parsed = _parse({p: d for p, d in self._files.items() if p.endswith(".tf")}, self._store)
            for path, tree in parsed.items():
                if tree is None:
                    continue
                directory = posixpath.dirname(path)
                for block, body in block_bodies(tree):
                    source = body.get("source")
                    if block.type == "module" and block.labels and isinstance(source, str):
                        if source.startswith(("./", "../")):
                            target = posixpath.normpath(posixpath.join(directory, source))
                            found.setdefault(directory, {})[block.labels[0]] = _Call(
                                path, "" if target == "." else target
                            )
            self._calls = found
        return self._calls

    def _reached(self, calls: dict[str, dict[str, _Call]]) -> set[str]:
        """The module directories the calls in edited files reach, directly or through the modules they call."""
        todo = [c.source for by_name in calls.values() for c in by_name.values() if c.file in self.edited]
        reached: set[str] = set()
        while todo:
            directory = todo.pop()
            if directory and directory not in reached:
                reached.add(directory)
                todo += [c.source for c in calls.get(directory, {}).values()]
        return reached


# --- the update ----------------------------------------------------------------------------------


def _manifest(previous: Manifest, theirs: Mapping[str, bytes], files: list[_File]) -> bytes:
    """The new render's manifest: its texts are the next update's base, except where a file was left unmerged.

    A file left as the team has it (it still holds markers, or does not parse) keeps its old base,
    so the next update still brings it the new render's change instead of reading it as the team's;
    at a path the old manifest does not record it stays unrecorded, so the next update merges it
    with the new render as a file of the team's at a path the render adds.
    """
    new = manifest.load_text(theirs[MANIFEST_PATH])
    recorded, rendered = dict(new.files), dict(new.rendered)
    for f in files:
        if f.merged:
            continue
        if f.path in previous.files:
            recorded[f.path] = previous.files[f.path]
        else:
            recorded.pop(f.path, None)
        if f.path in previous.rendered:
            rendered[f.path] = previous.rendered[f.path]
        else:
            rendered.pop(f.path, None)
    kept = Manifest(new.blueprint_version, new.inputs, recorded, new.tool_version, rendered)
    return kept.to_text().encode("utf-8")


def update_tree(
    config: Any,
    out: Path,
    *,
    run_checkov: bool = True,
    checkov: str | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    checkov_timeout: float | None = None,
    expect_previous: Manifest | None = None,
) -> UpdateResult:
    """Render `config`, merge it into `out` and write the result as one transaction (see the module docstring).

    `expect_previous`: the manifest the answers came from; a different one under the lock (a
    concurrent update or init) refuses this run with nothing written.
    """
    if run_checkov:
        from tfgen.checkov.run import resolve_timeout

        resolve_timeout(checkov_timeout)  # a bad value is exit 2 before anything is rendered
    store = Cache(cache_dir) if cache_dir is not None else None
    leave_out = api.users_files(out)
    theirs = api.render_files(config, store, leave_out=leave_out)
    with writer.locked(out, COMMAND):
        notice = writer.recover(out, COMMAND)
        if notice:
            writer.notify_on_stderr(notice)
        previous = manifest.load(out)
        if previous is None:
            raise UsageError(f"{out}: no tfgen manifest ({MANIFEST_PATH}): run tfgen init there first")
        if expect_previous is not None and previous != expect_previous:
            raise UsageError(f"{out}: changed by another tfgen while this update ran; nothing written, run it again")
        names = labels(previous)
        files = []
        for path in sorted(p for p in theirs if p != MANIFEST_PATH):
            ours = writer.current(out, path)  # a symlink on the way is a UsageError naming it
            if ours is writer.NOT_REGULAR:
                raise UsageError(f"{out / path}: not a regular file, but tfgen renders {path} there (move it away)")
            files.append(merge_file(path, previous, ours if isinstance(ours, bytes) else None, theirs[path], names))
        files, users_blocks, departures = prove(files, config, store, names)
        dropped = []
        for path in sorted(set(previous.files) - set(theirs)):
            ours = writer.current(out, path)
            if isinstance(ours, bytes):
                edited = sha256(ours) != previous.files[path]
                dropped.append(Outcome(path, KEPT_DROPPED if edited else REMOVED))
        write = {f.path: f.result for f in files if f.result is not None}
        write[MANIFEST_PATH] = _manifest(previous, theirs, files)
        checkov_result: CheckovSummary | None = None
        yours: list[str] = []
        conflicts = [f for f in files if f.what == CONFLICT]
        if run_checkov and not conflicts:
            checkov_result = api.checkov_summary(write, checkov, store, progress, checkov_timeout)
            teams = {f.path for f in files if f.result != f.theirs}
            owner = Ownership(teams, write, store)
            failures = list(
                zip(checkov_result.failed_files, checkov_result.failed_resources, checkov_result.failures, strict=True)
            )
            tfgens = [line for p, resource, line in failures if not owner.teams(p, resource)]
            if tfgens:
                shown = "; ".join(tfgens[:5])
                raise InternalError(f"checkov fails the merged tree where you did not edit ({len(tfgens)}): {shown}")
            yours = [line for p, resource, line in failures if owner.teams(p, resource)]
        the_plan = writer.plan(out, write, previous)
        if the_plan.changes:
            writer.write(the_plan, COMMAND)
    outcomes = [Outcome(f.path, f.what, f.why) for f in files] + dropped
    return UpdateResult(
        out=out,
        plan=the_plan,
        outcomes=sorted(outcomes, key=lambda o: o.path),
        blueprint_from=previous.blueprint_version,
        blueprint_to=BLUEPRINT_VERSION,
        users_blocks=users_blocks,
        departures=departures,
        checkov=checkov_result,
        checkov_yours=yours,
        warnings=api.cache_warnings(store),
    )


def run(
    out: Path,
    given: answers.Given,
    *,
    non_interactive: bool = False,
    reconfigure: bool = False,
    run_checkov: bool = True,
    checkov: str | None = None,
    checkov_timeout: float | None = None,
    cache_dir: Path | None = None,
    no_cache: bool = False,
    start_progress: Callable[[], ProgressLine | None] = lambda: None,
) -> UpdateResult:
    """`tfgen update` as the CLI runs it: the saved answers (overridden by `given`; asked again with
    `reconfigure`), then `update_tree`. Ctrl-C is `Interrupted` (exit 130): the tree is the old one,
    or, cut short mid-write, one transaction the next tfgen init or update finishes."""
    previous = api.init_manifest(out, COMMAND)
    if previous is None:
        raise UsageError(f"{out}: no tfgen manifest ({MANIFEST_PATH}): run tfgen init there first")

    def work(config: BaselineConfig, cache: Path | None, progress: Progress | None) -> UpdateResult:
        return update_tree(
            config,
            out,
            run_checkov=run_checkov,
            checkov=checkov,
            checkov_timeout=checkov_timeout,
            cache_dir=cache,
            progress=progress,
            expect_previous=previous,
        )

    return api.with_answers(
        out,
        given,
        previous.inputs,
        work,
        non_interactive=non_interactive or not reconfigure,
        reconfigure=reconfigure,
        cache_dir=cache_dir,
        no_cache=no_cache,
        start_progress=start_progress,
        interrupted="interrupted; the tree is as it was, or the next tfgen update finishes a write cut short",
    )
