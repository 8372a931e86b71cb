"""`validate_paths(paths, options) -> Report`: the whole of `tfgen validate` but its output.

1. discover the files under each PATH (and what must not be opened), read each once;
2. split the tree into module-call groups (`groups`); keep this shard's (`--shard I/N`);
3. answer every group whose inputs did not change from the cache (`cache`, `cachekeys`);
4. start checkov on the other groups in the background, in parallel batches over copies
   (`mirror`; offline, its own environment);
5. meanwhile parse each file once (the syntax gate; cached per file, a process pool for large
   trees: `parsing`) and run tfgen's rules per module;
6. read checkov's report, correct its known false positives, map ids to practices; cache each
   group's findings;
7. apply inline skips, --check/--skip-check, the baseline; sort by file and line.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfgen.checkov import env as checkov_env
from tfgen.checkov import scratch
from tfgen.errors import HclSyntaxError, InputFileError, UsageError
from tfgen.hcl.read import read_bytes
from tfgen.validate import baseline as baseline_file
from tfgen.checkov.evaluated import require_evaluated
from tfgen.validate import evaluated, mirror
from tfgen.checkov import run as checkov_run
from tfgen.hcl import parsing
from tfgen.validate import groups as groups_mod
from tfgen.validate import shard as shard_mod
from tfgen.hcl.cache import Cache
from tfgen.checkov.identity import checkov_identity
from tfgen.hcl.cachekeys import code_fingerprint, digest, file_digest
from tfgen.validate.corrections import correct, split_address
from tfgen.validate.discover import MAX_FILE_BYTES, MAX_OTHER_FILE_BYTES, Candidate, Discovery, ScanRoot, discover, scanned_file_at
from tfgen.validate.groups import Group
from tfgen.validate.model import ENGINE_CHECKOV, ENGINE_TFGEN, FAILED, SKIPPED, STATUSES, Finding, Report
from tfgen.validate.module import Module, Node, SourceFile, link_calls
from tfgen.validate.registry import INTERNAL, READ, SYNTAX, describe, known_ids, practice_of
from tfgen.validate.registry import SKIP_REASON as SKIP_REASON_ID
from tfgen.validate.rules import Result, run_rules
from tfgen.validate.skips import Skips, enclosing

Progress = Callable[[str, int, int], None]  # (stage, done, total)

UNSKIPPABLE = frozenset({SYNTAX, READ, INTERNAL})
GROUP_NAMESPACE = "group"
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
    checkov_jobs: int | None = None  # checkov processes side by side; None: by tree size and cores
    parse_jobs: int | None = None  # parsing processes; None: by size and cores
    group_checkov: bool = True  # False: one checkov run over a copy of each whole PATH, as before grouping
    yield_cpu: bool = False  # lower this process's priority while checkov runs (the CLI, which exits after)
    output: Path | None = None  # --output: refused when it is (a spelling or link of) a file being checked
    require_files: bool = False  # a PATH without Terraform files is exit 2 (else a warning, and nothing to check there)


def _check_ids(ids: tuple[str, ...], flag: str) -> list[str]:
    out: list[str] = []
    known = known_ids() | {SKIP_REASON_ID}
    for raw in ids:
        for item in raw.split(","):
            item = item.strip()
            if not item:
                continue
            if item in UNSKIPPABLE:
                raise UsageError(f"{flag}: {item} cannot be selected or skipped (an unreadable tree never passes)")
            if item not in known:
                raise UsageError(f"{flag}: unknown check id {item!r} (checkov would silently check nothing for it); see `checkov --list` or the README's practice table")
            out.append(item)
    return out


def _is_checkov_id(check_id: str) -> bool:
    return check_id.startswith("CKV")


def validate_paths(paths: list[str] | tuple[str, ...], options: ValidateOptions | None = None) -> Report:
    """Validate the Terraform trees (or files) at `paths`; see the module docstring."""
    options = options or ValidateOptions()
    started = time.monotonic()
    checks = _check_ids(options.checks, "--check")
    skip_checks = _check_ids(options.skip_checks, "--skip-check")
    baseline_keys = baseline_file.load(options.baseline) if options.baseline else set()

    discovery = discover(list(paths), options.max_file_bytes, allow_empty=not options.require_files)
    # a pre-commit or CI run on a repository without Terraform passes, saying so (--require-files: exit 2)
    empty = [f"no Terraform files (.tf, .tfvars, .tf.json) under {root.arg}: nothing to check (--require-files makes this exit 2)"
             for root in discovery.empty]
    if options.output is not None and (overwritten := scanned_file_at(discovery, options.output)) is not None:
        raise UsageError(f"--output {options.output}: is {overwritten.display}, a file being checked; write the report elsewhere")
    checkov_checks = [c for c in checks if _is_checkov_id(c)]
    use_checkov = options.run_checkov and (not checks or bool(checkov_checks)) and bool(discovery.candidates)
    scan = _Scan(discovery, options, Cache(options.cache_dir) if options.cache_dir is not None else None)
    if use_checkov:
        scratch.sweep()  # copies left by a tfgen that was killed (never a live run's)
        scan.timeout = checkov_run.resolve_timeout(options.checkov_timeout)
        scan.executable = checkov_env.locate(options.checkov)
        scan.checkov_checks = checkov_checks or None
        scan.checkov_skips = [c for c in skip_checks if _is_checkov_id(c)] or None
    findings = scan.run()

    findings = _dedupe(findings)
    if checks:
        wanted = set(checks) | UNSKIPPABLE | {SKIP_REASON_ID}
        findings = [f for f in findings if f.id in wanted]
    if skip_checks:
        unwanted = set(skip_checks)
        findings = [f for f in findings if f.id not in unwanted]
    # unread or unparsed files (a checkov parse error skipped inline too); a skipped TFGEN_READ names a
    # module call left unread, in a file that was itself checked
    unchecked = {f.file for f in findings if (f.status == FAILED and f.id in UNSKIPPABLE) or (f.status == SKIPPED and f.id == SYNTAX)}

    def in_scope(entry: baseline_file.Key) -> bool:
        """Could this run have matched a baseline entry? Its file was read and parsed here, and its check ran."""
        check_id, file, _ = entry
        ran = (not checks or check_id in checks) and check_id not in skip_checks and (use_checkov or not _is_checkov_id(check_id))
        return ran and file in scan.covered and file not in unchecked

    findings, baseline_outcome = baseline_file.settle(findings, options.baseline, baseline_keys, options.create_baseline, in_scope)
    findings.sort(key=Finding.sort_key)
    return Report(
        findings=findings,
        files=scan.file_count,
        roots=[r.arg for r in discovery.roots],
        checkov_ran=scan.checkov_ran,
        checkov_version=scan.checkov_version,
        duration_seconds=time.monotonic() - started,
        warnings=empty + (scan.store.warnings() if scan.store is not None else []),
        shard=list(options.shard) if options.shard else None,
        file_base=_file_base(discovery.roots),
        baseline=baseline_outcome,
    )


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


@dataclass
class _GroupResult:
    findings: list[Finding] = field(default_factory=list)
    errors: int = 0
    checkov_version: str | None = None
    cacheable: bool = True


class _Scan:
    """One run's state: what was read, which groups are answered, what checkov still has to do."""

    def __init__(self, discovery: Discovery, options: ValidateOptions, store: Cache | None) -> None:
        self.discovery = discovery
        self.options = options
        self.store = store
        self.executable: Path | None = None
        self.timeout = checkov_run.DEFAULT_TIMEOUT
        self.checkov_checks: list[str] | None = None
        self.checkov_skips: list[str] | None = None
        self.contents: dict[str, bytes] = {}
        self.errors = 0
        self.file_count = 0
        self.checkov_ran = False
        self.checkov_version: str | None = None
        self._unread_owned = 0  # this shard's files that could not be read
        self.covered: set[str] = set()  # how findings name this shard's files, read or not
        self.by_path: dict[str, Candidate] = {}
        for candidate in discovery.candidates:
            self.by_path[str(candidate.path)] = candidate
            self.by_path[os.path.realpath(candidate.path)] = candidate

    # --- what belongs to this shard ---------------------------------------------------------

    def _owned(self, display: str) -> bool:
        shard = self.options.shard
        return shard is None or shard_mod.owner(display, shard[1]) == shard[0]

    def _progress(self, stage: str, done: int, total: int) -> None:
        if self.options.progress:
            self.options.progress(stage, done, total)

    # --- the run ----------------------------------------------------------------------------

    def run(self) -> list[Finding]:
        findings = self._read()
        all_groups, mine, file_roots = self._select()
        keys = {id(g): self._group_key(g) for g in mine} if self.store is not None else {}
        answered = {id(g): r for g in mine if (r := self._cached(keys.get(id(g)))) is not None}
        pending = [g for g in mine if id(g) not in answered]
        batches, file_runs = self._start_checkov(all_groups, pending, file_roots)
        if (batches or file_runs) and self.options.yield_cpu:
            _yield_cpu()
        try:
            modules: dict[str, Module] = {}
            results = self._tfgen_part(pending, file_roots, modules)
            self._collect_checkov(batches, file_runs, results, modules, len(pending))
        finally:
            for batch in batches:
                batch.cancel()
            for run in file_runs:
                if run.running:
                    run.cancel()
        for group in pending:
            result = answered[id(group)] = results[id(group)]
            if self.store is not None and result.cacheable:
                self.store.put(GROUP_NAMESPACE, keys[id(group)], _group_to_json(result))
        self.checkov_ran = self.executable is not None  # fresh or from the cache, its results are in
        for result in [*(answered[id(g)] for g in mine), results[None]]:
            findings.extend(result.findings)
            self.errors += result.errors
            self.checkov_version = self.checkov_version or result.checkov_version
        if self.store is not None:
            self.store.prune()
        return findings

    def _select(self) -> tuple[list[Group], list[Group], list[Candidate]]:
        """Every group, this shard's groups, and this shard's files given as PATHs themselves."""
        all_groups = groups_mod.build(self.discovery, self.contents)
        mine = all_groups
        if self.options.shard:
            index, count = self.options.shard
            mine = [g for g, s in zip(all_groups, shard_mod.assign(all_groups, count)) if s == index]
        file_roots = [c for c in self.discovery.candidates
                      if c.root.file is not None and str(c.path) in self.contents and self._owned(c.display)]
        self.file_count = sum(len(g.candidates) for g in mine) + len(file_roots) + self._unread_owned
        self.covered.update(c.display for g in mine for c in g.candidates)
        self.covered.update(c.display for c in file_roots)
        return all_groups, mine, file_roots

    def _collect_checkov(self, batches: list[mirror.Batch], file_runs: list[checkov_run.CheckovRun],
                         results: dict[int | None, _GroupResult], modules: dict[str, Module], pending: int) -> None:
        """Wait for each checkov run; its findings join the group (or file PATHs) they belong to."""
        for run in file_runs:
            output = run.wait()
            self._require_evaluated([output], (n for m in modules.values() for n in m.nodes if n.file.candidate.root.file is not None))
            results[None].checkov_version = results[None].checkov_version or output.version
            results[None].findings.extend(_checkov_findings(output, self.discovery, modules, self.by_path))
        self._progress("checkov", 0, pending)
        scanned = 0
        for batch in batches:
            batch.wait()
            directories = {str(c.path.parent) for g in batch.groups for c in g.candidates}
            self._require_evaluated(batch.outputs.values(), (n for d in directories if d in modules for n in modules[d].nodes
                                                             if n.file.candidate.root.file is None))
            for index, group in enumerate(batch.groups):
                result = results.get(id(group))
                if result is None:  # another shard's group, in the same (ungrouped) copy as this one
                    continue
                output = batch.outputs[index]
                result.checkov_version = output.version
                result.cacheable = result.cacheable and batch.attributed
                result.findings.extend(_checkov_findings(output, self.discovery, modules, self.by_path))
                scanned += 1
                self._progress("checkov", scanned, pending)

    def _require_evaluated(self, outputs: Iterable[checkov_run.CheckovOutput], nodes: Iterable[Node]) -> None:
        """An empty report on files holding a block checkov certainly evaluates is refused (exit 2)."""
        outputs = list(outputs)
        # Results about files outside every PATH are dropped from the report (never read, never
        # printed), so they cannot stand for "checkov evaluated this tree" either. One inside is
        # enough: `any` stops at the first, so the lookup is not repeated over every result
        # (`_checkov_findings` resolves each one again).
        inside = any(_display_for(r.abs_path, self.discovery, self.by_path) is not None for o in outputs for r in o.results)
        require_evaluated(int(inside), sum(len(o.parsing_errors) + o.unnamed_parsing_errors for o in outputs),
                          evaluated.blocks_of(nodes), self.checkov_checks, self.checkov_skips)

    def _read(self) -> list[Finding]:
        """Notes and unreadable files as findings; every readable file's bytes into `contents`."""
        findings: list[Finding] = []
        self._unread_owned = 0
        for note in self.discovery.notes:
            display = note.root.display(note.rel)
            if not self._owned(display):
                continue
            findings.append(
                _finding(READ, FAILED if note.failed else SKIPPED, display, 1,
                         message=note.message if note.failed else None,
                         skip_reason=None if note.failed else note.message)
            )
            if note.failed:
                self.errors += 1
        for candidate in self.discovery.candidates:
            problem: str | None = candidate.problem
            line = 1
            if problem is None:
                try:
                    self.contents[str(candidate.path)] = read_bytes(candidate.target, candidate.display,
                                                                    self.options.max_file_bytes, follow_symlinks=False)
                    continue
                except InputFileError as exc:
                    problem, line = exc.problem, exc.line or 1
            if self._owned(candidate.display):
                self._unread_owned += 1
                self.covered.add(candidate.display)
                self.errors += 1
                findings.append(_finding(READ, FAILED, candidate.display, line, message=problem, abs_path=str(candidate.path)))
        for other in self.discovery.others:
            # Only checkov's secrets framework reads these, from the copy of what tfgen read: one
            # that cannot be read (swapped for a FIFO or a link since discovery, too large) was
            # not checked, which is a failed finding, as for a Terraform file.
            try:
                self.contents[str(other.path)] = read_bytes(other.target, other.root.display(other.rel),
                                                            MAX_OTHER_FILE_BYTES, follow_symlinks=False)
            except InputFileError as exc:
                display = other.root.display(other.rel)
                if self._owned(display):
                    self.errors += 1
                    findings.append(_finding(READ, FAILED, display, 1, message=exc.problem, abs_path=str(other.path)))
        return findings

    # --- the cache --------------------------------------------------------------------------

    def _group_key(self, group: Group) -> str:
        files = [(str(c.path), file_digest(self.contents[str(c.path)])) for c in group.candidates]
        files += [(str(o.path), file_digest(self.contents[str(o.path)])) for o in group.others]
        files += [(path, file_digest(data)) for path, data in group.deps.items()]
        files += [(path, read.fingerprint) for path, read in group.reads.items()]
        options = self.options
        checkov = None
        if self.executable is not None:
            extra = checkov_run.bundled_checks_dir()
            checkov = {
                "identity": checkov_identity(str(self.executable)),
                "checks": self.checkov_checks, "skip_checks": self.checkov_skips,
                "frameworks": checkov_run.FRAMEWORKS, "flags": checkov_env.OFFLINE_FLAGS,
                "env": checkov_env.OFFLINE_ENV, "external": str(extra) if extra else None,
                "grouped": options.group_checkov,
            }
        return digest(GROUP_NAMESPACE, code_fingerprint(), checkov, options.max_file_bytes,
                      [str(group.root.directory), group.root.prefix], sorted(files), sorted(group.dep_dirs))

    def _cached(self, key: str | None) -> _GroupResult | None:
        if self.store is None or key is None:
            return None
        value = self.store.get(GROUP_NAMESPACE, key, _check_group_json)
        return None if value is None else _group_from_json(value)

    # --- checkov ----------------------------------------------------------------------------

    def _start_checkov(self, all_groups: list[Group], pending: list[Group],
                       file_roots: list[Candidate]) -> tuple[list[mirror.Batch], list[checkov_run.CheckovRun]]:
        if self.executable is None:
            return [], []
        batches: list[mirror.Batch] = []
        file_runs: list[checkov_run.CheckovRun] = []
        extra = [d for d in [checkov_run.bundled_checks_dir()] if d is not None]
        common = dict(checks=self.checkov_checks, skip_checks=self.checkov_skips, external_checks_dirs=extra,
                      timeout=self.timeout)
        try:
            for root in self.discovery.roots:
                todo = [g for g in pending if g.root is root]
                if not todo:
                    continue
                # Never in place: checkov follows `source = "../x"` wherever it leads, so it only ever
                # sees a copy, padded so that no `..` leaves it (see `mirror.padding`).
                if not self.options.group_checkov:
                    # every group of the PATH, so each result finds its group (other shards' are dropped)
                    batches.append(mirror.start(self.executable, [g for g in all_groups if g.root is root],
                                                self.contents, **common))
                    continue
                for part in mirror.plan(todo, self.options.checkov_jobs):
                    batches.append(mirror.start(self.executable, part, self.contents, **common))
            if file_roots:
                file_runs = checkov_run.start(self.executable, directories=[], files=[c.path for c in file_roots],
                                              excludes=self.discovery.checkov_excludes, **common)
        except BaseException:
            for batch in batches:
                batch.cancel()
            raise
        return batches, file_runs

    # --- tfgen's own pass -------------------------------------------------------------------

    def _tfgen_part(self, pending: list[Group], file_roots: list[Candidate],
                    modules: dict[str, Module]) -> dict[int | None, _GroupResult]:
        """Parse (syntax gate) and run tfgen's rules for each pending group; None: the file PATHs."""
        owners: list[tuple[int | None, Candidate]] = [(id(g), c) for g in pending for c in g.candidates]
        owners += [(None, c) for c in file_roots]
        items = [(c.path.name, c.display, self.contents[str(c.path)]) for _, c in owners]
        parsed = parsing.parse_all(items, store=self.store, jobs=self.options.parse_jobs,
                                   cores=mirror.available_cores(), progress=self.options.progress)
        results: dict[int | None, _GroupResult] = {id(g): _GroupResult() for g in pending}
        results[None] = _GroupResult()
        for group in pending:  # calls to modules outside every PATH: not read, say so
            results[id(group)].findings.extend(_finding(READ, SKIPPED, call.display, call.line, skip_reason=call.reason)
                                               for call in group.outside)
        module_owner: dict[str, int | None] = {}
        for (owner, candidate), outcome in zip(owners, parsed):
            result = results[owner]
            found, errors = _gate(candidate, outcome, modules)
            result.findings.extend(found)
            result.errors += errors
            module_owner.setdefault(str(candidate.path.parent), owner)
        link_calls(modules)
        for group in pending:  # the files each module's Terraform reads, as the group read and hashed them
            for directory in group.dirs:
                if directory in modules:
                    modules[directory].reads = group.reads
        for directory, module in modules.items():
            results[module_owner[directory]].findings.extend(_module_findings(module))
        return results


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


def _gate(candidate: Candidate, outcome: parsing.Parsed, modules: dict[str, Module]) -> tuple[list[Finding], int]:
    """The syntax gate for one file; a parsed file joins its directory's module."""
    if isinstance(outcome, HclSyntaxError):
        return [_finding(SYNTAX, FAILED, candidate.display, outcome.line or 1, message=outcome.problem, abs_path=str(candidate.path))], 1
    if isinstance(outcome, InputFileError):
        return [_finding(READ, FAILED, candidate.display, outcome.line or 1, message=outcome.problem, abs_path=str(candidate.path))], 1
    directory = str(candidate.path.parent)
    module = modules.get(directory)
    if module is None:
        module = modules[directory] = Module(candidate.path.parent)
    try:
        module.add(SourceFile(candidate, outcome))
    except Exception as exc:  # a reader bug must not pass the file, nor print a traceback
        return [_finding(INTERNAL, FAILED, candidate.display, 1, message=f"{type(exc).__name__}: {exc}", abs_path=str(candidate.path))], 0
    return [], 0


_FINDING_FIELDS = tuple(f.name for f in dataclasses.fields(Finding))


def _group_to_json(result: _GroupResult) -> dict[str, Any]:
    # every field is a str, int, bool or None: a flat dict, without dataclasses.asdict's deep copy
    # (which cost 3 s of a 60 s run on bench/run.py's largest tree)
    return {"findings": [{name: getattr(f, name) for name in _FINDING_FIELDS} for f in result.findings],
            "errors": result.errors, "checkov_version": result.checkov_version}


_FIELD_SET = set(_FINDING_FIELDS)


def _check_group_json(value: Any) -> None:
    if not (isinstance(value, dict) and isinstance(value["findings"], list) and isinstance(value["errors"], int)):
        raise ValueError("not a group entry")
    for item in value["findings"]:
        if not isinstance(item, dict) or item.keys() != _FIELD_SET or item["status"] not in STATUSES:
            raise ValueError("not a finding")
        if not (isinstance(item["id"], str) and isinstance(item["file"], str) and isinstance(item["line"], int)):
            raise ValueError("not a finding")


def _group_from_json(value: dict[str, Any]) -> _GroupResult:
    return _GroupResult([Finding(**item) for item in value["findings"]], value["errors"], value.get("checkov_version"))


def _finding(check_id: str, status: str, candidate_display: str, line: int, *, resource: str | None = None,
             message: str | None = None, skip_reason: str | None = None, engine: str = ENGINE_TFGEN,
             title: str | None = None, practice: str | None | bool = False, abs_path: str | None = None) -> Finding:
    description = describe(check_id)
    return Finding(
        id=check_id,
        title=title or description.title,
        status=status,
        practice=description.practice if practice is False else practice,  # type: ignore[arg-type]
        engine=engine,
        resource=resource,
        file=candidate_display,
        line=max(1, line),
        skip_reason=skip_reason,
        message=message,
        abs_path=abs_path,
    )


def _tfgen_pass(discovery: Discovery, progress: Progress | None) -> tuple[list[Finding], dict[str, Module], dict[str, Candidate], int]:
    """The syntax gate and tfgen's rules over every file, without cache, shards or checkov."""
    scan = _Scan(discovery, ValidateOptions(progress=progress), None)
    findings = scan._read()
    modules: dict[str, Module] = {}
    candidates = [c for c in discovery.candidates if str(c.path) in scan.contents]
    items = [(c.path.name, c.display, scan.contents[str(c.path)]) for c in candidates]
    for candidate, outcome in zip(candidates, parsing.parse_all(items, jobs=1, progress=progress)):
        found, errors = _gate(candidate, outcome, modules)
        findings.extend(found)
        scan.errors += errors
    link_calls(modules)
    for module in modules.values():
        findings.extend(_module_findings(module))
    return findings, modules, scan.by_path, scan.errors


def _module_findings(module: Module) -> list[Finding]:
    skips = Skips(module)
    out: list[Finding] = []
    try:
        results: list[Result] = list(run_rules(module))
    except Exception as exc:  # a rule bug must not pass the tree, nor print a traceback
        first = module.files[0]
        return [_finding(INTERNAL, FAILED, first.display, 1, message=f"{type(exc).__name__}: {exc}", abs_path=str(first.path))]
    for result in results:
        status, reason = result.status, result.skip_reason
        is_skipped, comment_reason = skips.reason_for(result.rule.id, result.node, result.line)
        if is_skipped:
            status, reason = SKIPPED, comment_reason
        out.append(
            Finding(
                id=result.rule.id,
                title=result.rule.title,
                status=status,
                practice=result.rule.practice,
                engine=ENGINE_TFGEN,
                resource=result.address,
                file=result.node.file.display,
                line=result.line,
                skip_reason=reason,
                message=result.message,
                abs_path=str(result.node.file.path),
            )
        )
    for comment in skips.comments:
        if comment.reason is None:
            node = enclosing(module, comment)
            out.append(
                Finding(
                    id=SKIP_REASON_ID,
                    title=describe(SKIP_REASON_ID).title,
                    status=FAILED,
                    practice=practice_of(comment.check_id),
                    engine=ENGINE_TFGEN,
                    resource=node.address if node is not None else None,
                    file=comment.source.display,
                    line=comment.line,
                    message=f"#checkov:skip={comment.check_id} gives no reason",
                    abs_path=str(comment.source.path),
                )
            )
    return out


def _display_for(abs_path: str, discovery: Discovery, by_path: dict[str, Candidate]) -> str | None:
    """How findings name a file; None outside every PATH (checkov followed a module source out)."""
    candidate = by_path.get(abs_path) or by_path.get(os.path.realpath(abs_path))
    if candidate is not None:
        return candidate.display
    best = None
    for root in discovery.roots:
        for base in (str(root.directory), os.path.realpath(root.directory)):
            prefix = base.rstrip(os.sep) + os.sep
            if abs_path.startswith(prefix) and (best is None or len(prefix) > len(best[1])):
                best = (root, prefix)
    if best is None or not discovery.inside.holds(abs_path):
        return None
    return best[0].display(Path(abs_path[len(best[1]):]).as_posix())


def _checkov_findings(output: checkov_run.CheckovOutput, discovery: Discovery, modules: dict[str, Module],
                      by_path: dict[str, Candidate]) -> list[Finding]:
    out: list[Finding] = []
    for result in output.results:
        abs_path = result.abs_path
        display = _display_for(abs_path, discovery, by_path)
        if display is None:  # not read by tfgen, not reported (the call is a skipped TFGEN_READ finding)
            continue
        module = modules.get(os.path.dirname(abs_path)) or modules.get(os.path.dirname(os.path.realpath(abs_path)))
        resource = result.resource
        if resource and module is not None and result.check_type == "terraform":
            prefix, local = split_address(resource)
            base = local.split("[")[0]
            if base not in module.by_address and f"data.{base}" in module.by_address:
                resource = f"{prefix}data.{local}"
        description = describe(result.check_id, result.title)
        finding = Finding(
            id=result.check_id,
            title=result.title or description.title,
            status=result.status,
            practice=practice_of(result.check_id),
            engine=ENGINE_CHECKOV,
            resource=resource,
            file=display,
            line=result.line,
            skip_reason=result.suppress_comment if result.status == SKIPPED else None,
            abs_path=abs_path,
        )
        out.append(correct(finding, module))
    for path in output.parsing_errors:
        candidate = by_path.get(path) or by_path.get(os.path.realpath(path))
        if candidate is None:
            shown = _display_for(path, discovery, by_path)
            if shown is not None:
                out.append(_finding(SYNTAX, FAILED, shown, 1, engine=ENGINE_CHECKOV,
                                    title="checkov could not parse this file; its checks did not run on it", abs_path=path))
            continue
        module = modules.get(str(candidate.path.parent))
        source = next((s for s in module.files if s.candidate is candidate), None) if module else None
        if source is None:
            continue  # tfgen could not parse it either: already a TFGEN_SYNTAX/TFGEN_READ finding
        skips = Skips(module)  # type: ignore[arg-type]
        is_skipped, reason = skips.file_skip(SYNTAX, source)
        out.append(
            _finding(SYNTAX, SKIPPED if is_skipped else FAILED, candidate.display, 1, engine=ENGINE_CHECKOV,
                     title="checkov could not parse this file; its checks did not run on it",
                     message="python-hcl2 parses it, checkov's parser does not (e.g. a template directive with quotes inside a for expression)",
                     skip_reason=reason if is_skipped else None, abs_path=str(candidate.path))
        )
    if output.unnamed_parsing_errors:
        root = discovery.roots[0]
        out.append(_finding(SYNTAX, FAILED, root.display("."), 1, engine=ENGINE_CHECKOV,
                            title="checkov could not parse some files and did not name them",
                            message=f"{output.unnamed_parsing_errors} file(s)"))
    return out


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
