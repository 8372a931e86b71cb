"""`validate_paths(paths, options) -> Report`: the whole of `tfgen validate` but its output.

1. discover the files under each PATH (and what must not be opened);
2. start checkov in the background (offline, its own environment);
3. meanwhile parse every file once (the syntax gate) and run tfgen's rules per module;
4. read checkov's report, correct its known false positives, map ids to practices;
5. apply inline skips, --check/--skip-check, the baseline; sort by file and line.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tfgen import checkov_env
from tfgen.errors import HclSyntaxError, InputFileError, UsageError
from tfgen.hclfile import read_file
from tfgen.validate import baseline as baseline_file
from tfgen.validate import checkov_run
from tfgen.validate.catalog import INTERNAL, READ, SYNTAX, describe, known_ids
from tfgen.validate.corrections import correct, split_address
from tfgen.validate.discover import MAX_FILE_BYTES, Candidate, Discovery, discover
from tfgen.validate.model import ENGINE_CHECKOV, ENGINE_TFGEN, FAILED, SKIPPED, Finding, Report
from tfgen.validate.module import Module, SourceFile
from tfgen.validate.practices import practice_of
from tfgen.validate.rules import Result, run_rules
from tfgen.validate.skips import SKIP_REASON_ID, SKIP_REASON_TITLE, Skips, enclosing

Progress = Callable[[str, int, int], None]  # (stage, done, total)

UNSKIPPABLE = frozenset({SYNTAX, READ, INTERNAL})


@dataclass
class ValidateOptions:
    checkov: str | None = None  # --checkov PATH (else $TFGEN_CHECKOV, else tfgen's environment)
    run_checkov: bool = True  # False: the syntax gate and tfgen's rules only
    checks: tuple[str, ...] = ()  # only these ids
    skip_checks: tuple[str, ...] = ()  # never these ids
    baseline: Path | None = None
    create_baseline: Path | None = None
    max_file_bytes: int = MAX_FILE_BYTES
    checkov_timeout: float = checkov_run.DEFAULT_TIMEOUT
    progress: Progress | None = None


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
    if options.baseline and options.create_baseline:
        raise UsageError("--baseline and --create-baseline cannot be used together")
    checks = _check_ids(options.checks, "--check")
    skip_checks = _check_ids(options.skip_checks, "--skip-check")
    baseline_keys = baseline_file.load(options.baseline) if options.baseline else None

    discovery = discover(list(paths), options.max_file_bytes)
    runs: list[checkov_run.CheckovRun] = []
    checkov_checks = [c for c in checks if _is_checkov_id(c)]
    use_checkov = options.run_checkov and (not checks or bool(checkov_checks))
    version: str | None = None
    if use_checkov:
        executable = checkov_env.locate(options.checkov)
        extra = [d for d in [checkov_run.bundled_checks_dir()] if d is not None]
        runs = checkov_run.start(
            executable,
            directories=[r.directory for r in discovery.roots if r.file is None],
            files=[r.file for r in discovery.roots if r.file is not None],
            excludes=discovery.checkov_excludes,
            checks=checkov_checks or None,
            skip_checks=[c for c in skip_checks if _is_checkov_id(c)] or None,
            external_checks_dirs=extra,
            timeout=options.checkov_timeout,
        )
    try:
        findings, modules, by_path, errors = _tfgen_pass(discovery, options.progress)
        if runs:
            if options.progress:
                options.progress("checkov", 0, 1)
            for run in runs:
                output = run.wait()
                version = version or output.version
                findings.extend(_checkov_findings(output, discovery, modules, by_path))
            if options.progress:
                options.progress("checkov", 1, 1)
    finally:
        for run in runs:
            if run.running:
                run.cancel()

    findings = _dedupe(findings)
    if checks:
        wanted = set(checks) | UNSKIPPABLE | {SKIP_REASON_ID}
        findings = [f for f in findings if f.id in wanted]
    if skip_checks:
        unwanted = set(skip_checks)
        findings = [f for f in findings if f.id not in unwanted]
    if options.create_baseline:
        baseline_file.write(options.create_baseline, findings)
        baseline_keys = baseline_file.load(options.create_baseline)
        findings = baseline_file.apply(findings, baseline_keys, options.create_baseline)
    elif baseline_keys is not None and options.baseline:
        findings = baseline_file.apply(findings, baseline_keys, options.baseline)
    findings.sort(key=Finding.sort_key)
    return Report(
        findings=findings,
        files=len(discovery.candidates),
        errors=errors,
        roots=[r.arg for r in discovery.roots],
        checkov_ran=bool(runs),
        checkov_version=version,
        duration_seconds=time.monotonic() - started,
    )


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
    findings: list[Finding] = []
    modules: dict[str, Module] = {}
    by_path: dict[str, Candidate] = {}
    errors = 0
    for note in discovery.notes:
        findings.append(
            _finding(READ, FAILED if note.failed else SKIPPED, note.root.display(note.rel), 1,
                     message=note.message if note.failed else None,
                     skip_reason=None if note.failed else note.message)
        )
        if note.failed:
            errors += 1
    total = len(discovery.candidates)
    for index, candidate in enumerate(discovery.candidates, start=1):
        by_path[str(candidate.path)] = candidate
        by_path[os.path.realpath(candidate.path)] = candidate
        if progress:
            progress("parse", index, total)
        if candidate.problem is not None:
            errors += 1
            findings.append(_finding(READ, FAILED, candidate.display, 1, message=candidate.problem, abs_path=str(candidate.path)))
            continue
        try:
            parsed = read_file(candidate.path, candidate.display)
        except HclSyntaxError as exc:
            errors += 1
            findings.append(_finding(SYNTAX, FAILED, candidate.display, exc.line or 1, message=exc.problem, abs_path=str(candidate.path)))
            continue
        except InputFileError as exc:
            errors += 1
            findings.append(_finding(READ, FAILED, candidate.display, exc.line or 1, message=exc.problem, abs_path=str(candidate.path)))
            continue
        directory = str(candidate.path.parent)
        module = modules.get(directory)
        if module is None:
            module = modules[directory] = Module(candidate.path.parent)
        try:
            module.add(SourceFile(candidate, parsed))
        except Exception as exc:  # a reader bug must not pass the file, nor print a traceback
            findings.append(_finding(INTERNAL, FAILED, candidate.display, 1, message=f"{type(exc).__name__}: {exc}", abs_path=str(candidate.path)))
    for module in modules.values():
        findings.extend(_module_findings(module))
    return findings, modules, by_path, errors


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
                    title=SKIP_REASON_TITLE,
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


def _display_for(abs_path: str, discovery: Discovery, by_path: dict[str, Candidate]) -> str:
    candidate = by_path.get(abs_path) or by_path.get(os.path.realpath(abs_path))
    if candidate is not None:
        return candidate.display
    best = None
    for root in discovery.roots:
        for base in (str(root.directory), os.path.realpath(root.directory)):
            prefix = base.rstrip(os.sep) + os.sep
            if abs_path.startswith(prefix) and (best is None or len(prefix) > len(best[1])):
                best = (root, prefix)
    if best is None:
        return abs_path
    return best[0].display(Path(abs_path[len(best[1]):]).as_posix())


def _checkov_findings(output: checkov_run.CheckovOutput, discovery: Discovery, modules: dict[str, Module],
                      by_path: dict[str, Candidate]) -> list[Finding]:
    out: list[Finding] = []
    for result in output.results:
        abs_path = result.abs_path
        display = _display_for(abs_path, discovery, by_path)
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
            out.append(_finding(SYNTAX, FAILED, _display_for(path, discovery, by_path), 1, engine=ENGINE_CHECKOV,
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
