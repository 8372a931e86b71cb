"""The importable API behind `tfgen init`; the CLI is a thin layer over it."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from tfgen.cache.store import Cache
from tfgen.errors import CheckovError, DriftError, InternalError, Interrupted, UsageError
from tfgen.init import answers, blueprint_model
from tfgen.init.config import BaselineConfig
from tfgen.init.render import BLUEPRINT_VERSION, answer_paths, render_baseline
from tfgen.init.verify import verify_rendered
from tfgen.tree import manifest, paths, writer
from tfgen.tree.writer import Plan, plan, stage

if TYPE_CHECKING:
    from tfgen.checkov.empty_report import Block

# Told (step, done, total) as init goes: the same shape as validate's progress (the CLI passes one to both).
Progress = Callable[[str, int, int], None]


class ProgressLine(Protocol):
    """A `Progress` with a line to take down (`tfgen.progress.TerminalProgress`)."""

    def __call__(self, stage: str, done: int, total: int) -> None: ...

    def close(self) -> None: ...


@dataclass
class CheckovSummary:
    passed: int
    failed: int
    skipped: int
    failures: list[str] = field(default_factory=list)
    failed_files: list[str] = field(default_factory=list)  # the file of each failure, relative to the tree
    failed_resources: list[str | None] = field(default_factory=list)  # its address (`module.x.aws_y.z`), if any


@dataclass
class InitResult:
    out: Path
    plan: Plan
    written: bool
    checkov: CheckovSummary | None = None
    warnings: list[str] = field(default_factory=list)  # e.g. a cache that could not be written
    replaced: list[str] = field(default_factory=list)  # `--force`'s copies of the edited files it replaced


# Rendered files a user may already have where tfgen writes: `tfgen init` defaults to `--out .`,
# a repository root with its own .gitignore. One tfgen never wrote is left as it is and not
# rendered (a notice says what to add) instead of refusing the whole init as for a foreign file.
YIELDS_TO_USER = (blueprint_model.GITIGNORE,)


def render_files(
    config: BaselineConfig, store: Cache | None = None, *, leave_out: Collection[str] = ()
) -> dict[str, bytes]:
    """The whole output tree as bytes, manifest included, after the parse-back proof of the files the answers shape.

    `store`: the parse cache (`tfgen.cache.store.Cache`) the proof reads and fills.
    `leave_out`: proved, but neither written nor recorded in the manifest (`users_files`).
    """
    texts = render_baseline(config)
    verify_rendered(texts, config, store, only=answer_paths())
    files = {path: text.encode("utf-8") for path, text in texts.items() if path not in leave_out}
    files[manifest.MANIFEST_PATH] = (
        manifest.build(BLUEPRINT_VERSION, config.to_mapping(), files).to_text().encode("utf-8")
    )
    return files


def previous_manifest(out: Path) -> manifest.Manifest | None:
    """The manifest of an earlier `tfgen init` into `out`.

    When a kill interrupted a render after its intent record, this run finishes that render
    (`writer.recover`), so the staged manifest is the one that counts.
    """
    staged = f"{writer.STAGED}/{manifest.MANIFEST_PATH}"
    pending = writer.pending(out) == "intent"
    return (manifest.load(out, staged) if pending else None) or manifest.load(out)


def init_manifest(out: Path, command: str = "tfgen init") -> manifest.Manifest | None:
    """`previous_manifest`, refused (exit 2) when another command wrote it: its inputs are not init's answers.

    `command` names the command that refuses it.
    """
    previous = previous_manifest(out)
    if previous is not None and (writer_of := manifest.written_by(previous)) != "tfgen init":
        raise UsageError(
            f"{out / manifest.MANIFEST_PATH}: written by {writer_of}, not tfgen init; {command} renders only a tree "
            "tfgen init wrote (choose another --out)"
        )
    return previous


def saved_answers(out: Path) -> Mapping[str, Any]:
    """The answers of an earlier `tfgen init` into `out`, so a re-run renders the same baseline."""
    previous = init_manifest(out)
    return dict(previous.inputs) if previous else {}


def saved_in(out: Path) -> str:
    """Where saved answers come from, as their errors name it."""
    return f"{out / manifest.MANIFEST_PATH}: inputs"


def users_files(out: Path) -> list[str]:
    """The `YIELDS_TO_USER` files present in `out` (any kind, a symlink too) that tfgen never wrote."""
    if not paths.out_exists(out):
        return []
    previous = previous_manifest(out)
    recorded = previous.files if previous else {}
    return [rel for rel in YIELDS_TO_USER if rel not in recorded and os.path.lexists(out / rel)]


def blocks_of_files(files: Mapping[str, bytes], store: Cache | None = None) -> list[Block]:
    """The top-level blocks of the rendered HCL files (relative path -> bytes), for checkov's "nothing evaluated" guard.

    `store` is the parse cache, which already holds the parse of every rendered file, so this
    costs ~1 ms a file unless the cache is off. init renders no `.tf.json`.
    """
    from tfgen.checkov.empty_report import Block
    from tfgen.hcl import parsing
    from tfgen.hcl.values import block_bodies

    names = sorted(n for n in files if n.endswith(".tf"))
    items = [(PurePosixPath(n).name, n, files[n]) for n in names]
    blocks: list[Block] = []
    for name, outcome in zip(names, parsing.parse_all(items, store=store, jobs=1), strict=True):
        if isinstance(outcome, Exception):
            continue  # init's own parse-back proof already refused such a render
        for block, body in block_bodies(outcome):
            labels = block.labels
            type_ = labels[0] if labels and block.type in ("resource", "data", "provider") else ""
            label = labels[1] if len(labels) >= 2 and block.type in ("resource", "data") else type_
            blocks.append(Block(block.type, type_, label, name, block.line, body.get("count", 1), "for_each" in body))
    return blocks


def checkov_summary(
    files: Mapping[str, bytes],
    checkov: str | None = None,
    store: Cache | None = None,
    progress: Progress | None = None,
    timeout: float | None = None,
) -> CheckovSummary:
    """checkov's verdicts on a staged copy of `files`; each failure names its file (`failed_files`).

    `progress`: told ("checkov", 0, 0) when checkov starts and ("checkov", 1, 1) when it is done
    (one run of about 9 s on the baseline: no finer steps to report).

    A report that evaluated nothing on blocks checkov has checks for is a CheckovError (exit 2),
    never "0 passed, 0 failed"; `store` is the parse cache that tells which blocks those are.
    """
    from tfgen.checkov import scratch
    from tfgen.checkov.run import run_checkov_on_dir

    scratch.sweep()  # copies left by a tfgen that was killed (never a live run's)
    try:
        with scratch.directory("tfgen-verify-") as tmp:
            stage(files, tmp)
            if progress is not None:
                progress("checkov", 0, 0)
            output = run_checkov_on_dir(
                tmp, checkov=checkov, timeout=timeout, expected=lambda: blocks_of_files(files, store)
            )
    except OSError as exc:  # the temporary directory is full or unwritable: nothing was written
        raise CheckovError(
            f"cannot stage the render for checkov: {exc.strerror or exc} ({exc.filename or 'TMPDIR'})"
        ) from None
    if progress is not None:
        progress("checkov", 1, 1)
    results = output.results
    failed = sorted(
        [
            (r.file_path.lstrip("/"), f"{r.check_id} {r.resource} ({r.file_path}:{r.line})", r.resource)
            for r in results
            if r.status == "failed"
        ]
        + [(path.lstrip("/"), f"checkov could not parse ({path}:1)", None) for path in output.parsing_errors],
        key=lambda failure: failure[:2],
    )
    return CheckovSummary(
        passed=sum(r.status == "passed" for r in results),
        failed=len(failed),
        skipped=sum(r.status == "skipped" for r in results),
        failures=[line for _, line, _ in failed],
        failed_files=[path for path, _, _ in failed],
        failed_resources=[resource for _, _, resource in failed],
    )


def init_baseline(
    config: BaselineConfig,
    out: Path,
    *,
    force: bool = False,
    check: bool = False,
    run_checkov: bool = True,
    checkov: str | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    checkov_timeout: float | None = None,
    diff: bool = False,
) -> InitResult:
    """Render, prove, (checkov-)verify and write; `cache_dir` None: parse everything afresh.

    `progress(stage, done, total)`: called while checkov checks the render (the validate engine's
    callback type; the CLI passes `TerminalProgress` on a terminal).
    `checkov_timeout`: seconds for the self-check; None: $TFGEN_CHECKOV_TIMEOUT, else the default.
    """
    if run_checkov and not check:
        from tfgen.checkov.run import (
            resolve_timeout,
        )  # here: --skip-checkov needs none of checkov.run (~6 ms to import)

        resolve_timeout(checkov_timeout)  # a bad value is exit 2 before anything is rendered
    store = Cache(cache_dir) if cache_dir is not None else None
    leave_out = users_files(out)
    files = render_files(config, store, leave_out=leave_out)
    if blueprint_model.GITIGNORE in leave_out and not check:
        writer.notify_on_stderr(
            f"{blueprint_model.GITIGNORE}: yours, left as it is; tfgen's patterns for this tree are: "
            + " ".join(blueprint_model.GITIGNORE_PATTERNS)
        )
    if check:
        if writer.pending(out) == "intent":
            raise DriftError(f"{out}: an interrupted tfgen init is half-written (run tfgen init to finish it)")
        the_plan = plan(out, files, manifest.load(out))
        if the_plan.changes:
            raise DriftError(
                f"{out}: a re-render would change {len(the_plan.changes)} file(s): {the_plan.summary()}",
                drift_diff(the_plan) if diff else "",
            )
        return InitResult(out=out, plan=the_plan, written=False, warnings=cache_warnings(store))
    summaries: list[CheckovSummary] = []
    replaced: list[str] = []

    def self_check(the_plan: Plan) -> None:
        if run_checkov:
            summary = checkov_summary(files, checkov, store, progress, checkov_timeout)
            if summary.failures:  # tfgen's own output: nothing is written
                shown = "; ".join(summary.failures[:5])
                raise InternalError(f"checkov fails the rendered baseline ({len(summary.failures)}): {shown}")
            summaries.append(summary)
        if force and the_plan.conflicts:  # after every refusal: a copy only of what is really replaced
            replaced.extend(keep_replaced(out, the_plan.conflicts))

    the_plan = writer.put(out, files, force=force, notify=writer.notify_on_stderr, before_write=self_check)
    summary = summaries[0] if summaries else None
    return InitResult(
        out=out,
        plan=the_plan,
        written=bool(the_plan.changes),
        checkov=summary,
        warnings=cache_warnings(store),
        replaced=replaced,
    )


REPLACED = ".tfgen/replaced"


def keep_replaced(out: Path, edited: list[str]) -> list[str]:
    """Copy each edited file `--force` is about to replace to `.tfgen/replaced/<UTC time>/<path>`; the copies' paths.

    Written before the transaction replaces anything; a failure stops `--force` with nothing replaced.
    """
    import time

    from tfgen.atomic_write import write_atomic

    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    folder, n = f"{REPLACED}/{stamp}", 1
    while os.path.lexists(paths.checked(out, folder)):  # a second --force within the same second
        n += 1
        folder = f"{REPLACED}/{stamp}-{n}"
    kept = []
    for rel in edited:
        current = writer.current(out, rel)
        if not isinstance(current, bytes):
            continue
        target = f"{folder}/{rel}"
        try:
            write_atomic(paths.checked(out, target), current, prefix=".tfgen-replaced-", durable=True)
        except OSError as exc:
            raise UsageError(
                f"{out / target}: cannot keep a copy of {rel}: {exc.strerror or exc}; nothing replaced"
            ) from None
        kept.append(target)
    return kept


def drift_diff(the_plan: Plan) -> str:
    """`the_plan`'s changes as a unified diff (a/ the tree now, b/ the re-render), the manifest aside."""
    import difflib

    chunks: list[str] = []
    for rel in the_plan.changes:
        if rel == manifest.MANIFEST_PATH:
            continue
        current = writer.current(the_plan.out, rel)
        old = current.decode("utf-8", "replace") if isinstance(current, bytes) else ""
        new = the_plan.files[rel].decode("utf-8", "replace") if rel in the_plan.files else ""
        for line in difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            "a/" + rel if isinstance(current, bytes) else "/dev/null",
            "b/" + rel if rel in the_plan.files else "/dev/null",
        ):
            chunks.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(chunks)


def next_steps(out: Path) -> list[str]:
    """What a platform engineer does with a rendered tree next, as lines to print after init and update."""
    import shlex

    return [
        f"cd {shlex.quote(str(out))} && terraform init && terraform plan",
        f'the first apply creates the state bucket it then moves into: {out / "README.md"}, "Bootstrap remote state"',
        "commit the tree with .tfgen/manifest.json: `tfgen update` merges the next render against it",
    ]


def cache_warnings(store: Cache | None) -> list[str]:
    if store is None:
        return []
    store.prune()  # as validate does: at most daily, entries no run used for a month
    return store.warnings()


R = TypeVar("R")


def with_answers(
    out: Path,
    given: answers.Given,
    saved: Mapping[str, Any],
    work: Callable[[BaselineConfig, Path | None, Progress | None], R],
    *,
    non_interactive: bool,
    reconfigure: bool = False,
    cache_dir: Path | None,
    no_cache: bool,
    start_progress: Callable[[], ProgressLine | None],
    interrupted: str,
) -> R:
    """`work(config, cache_dir, progress)` on the answers (`answers.gather`): how init and update run.

    `saved`: the answers the manifest in `out` holds, named in their errors. `cache_dir` None: the
    default parse cache (`tfgen.cache.store.default_directory`); `no_cache`: none (`work` gets
    None). `start_progress` is called once the answers are in, so a progress line's delay counts
    from the start of the work, not from the first question. Ctrl-C is `Interrupted` (exit 130):
    at a question nothing is written; during `work`, `interrupted` says what was.
    """
    try:
        config = answers.gather(
            out,
            given,
            saved,
            non_interactive=non_interactive,
            terminal=sys.stdin.isatty(),
            reconfigure=reconfigure,
            saved_in=saved_in(out),
        )
    except KeyboardInterrupt:
        raise Interrupted("interrupted; nothing written") from None
    if not no_cache and cache_dir is None:
        from tfgen.cache.store import default_directory

        cache_dir = default_directory()
    progress = start_progress()
    try:
        return work(config, None if no_cache else cache_dir, progress)
    except KeyboardInterrupt:
        raise Interrupted(interrupted) from None
    finally:
        if progress is not None:
            progress.close()


def run(
    out: Path,
    given: answers.Given,
    *,
    non_interactive: bool = False,
    force: bool = False,
    check: bool = False,
    run_checkov: bool = True,
    checkov: str | None = None,
    checkov_timeout: float | None = None,
    cache_dir: Path | None = None,
    no_cache: bool = False,
    start_progress: Callable[[], ProgressLine | None] = lambda: None,
    diff: bool = False,
) -> InitResult:
    """`tfgen init` as the CLI runs it: the answers (asked in a terminal), then `init_baseline` (`with_answers`)."""

    def work(config: BaselineConfig, cache: Path | None, progress: Progress | None) -> InitResult:
        return init_baseline(
            config,
            out,
            force=force,
            check=check,
            run_checkov=run_checkov and not check,
            checkov=checkov,
            checkov_timeout=checkov_timeout,
            cache_dir=cache,
            progress=progress,
            diff=diff,
        )

    # Most likely during checkov's ~9 s self-check, before anything is written; a write cut short
    # is one transaction the next init finishes or discards (see Guarantees).
    return with_answers(
        out,
        given,
        saved_answers(out),
        work,
        non_interactive=non_interactive,
        cache_dir=cache_dir,
        no_cache=no_cache,
        start_progress=start_progress,
        interrupted="interrupted; the next tfgen init finishes or discards any render cut short",
    )
