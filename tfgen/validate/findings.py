"""Where validate's `Finding`s are made: one factory per engine, and what feeds each.

- `tfgen_finding`: tfgen's own findings, from a rule's `Result` (`rule_findings`, with the
  module's inline skips) or for the run itself (`TFGEN_READ`, `TFGEN_SYNTAX`, `TFGEN_INTERNAL`,
  `TFGEN_SKIP_REASON`), their title and practice from the registry.
- `checkov_finding`: checkov's, from its `CheckovResult`s and the files it could not parse
  (`checkov_findings`), its known false positives corrected (`corrections`).
- `finding_from_json`: a finding read back from the cache (`group_cache`).

Both factories (and the cache's `finding_from_json`) end in `_finding`/`Finding(**item)` here; no other
module of tfgen.validate constructs a `Finding` (they change one with `with_status`).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from tfgen.checkov.run import CheckovOutput, CheckovResult
from tfgen.validate.corrections import correct, split_address
from tfgen.validate.discover import Candidate, Discovery
from tfgen.validate.module import Module
from tfgen.validate.registry import INTERNAL, SYNTAX, describe, practice_of
from tfgen.validate.registry import SKIP_REASON as SKIP_REASON_ID
from tfgen.validate.report import ENGINE_CHECKOV, ENGINE_TFGEN, FAILED, SKIPPED, Finding
from tfgen.validate.rules import Result, run_rules
from tfgen.validate.skips import Skips, enclosing

CHECKOV_UNPARSED = "checkov could not parse this file; its checks did not run on it"


def _finding(
    engine: str,
    check_id: str,
    title: str,
    practice: str | None,
    status: str,
    file: str,
    line: int,
    details: dict[str, str | None],
) -> Finding:
    """The one construction of a new finding; `details`: its resource, message, skip_reason and abs_path."""
    fields: dict[str, Any] = {"resource": None, **details}  # a finding about a file names no resource
    return Finding(
        id=check_id, title=title, status=status, practice=practice, engine=engine, file=file, line=line, **fields
    )


def tfgen_finding(
    check_id: str,
    status: str,
    file: str,
    line: int,
    *,
    title: str | None = None,
    practice: str | None | Literal[False] = False,
    **details: str | None,
) -> Finding:
    """A finding of tfgen's engine; title and practice from the registry unless given (`practice=False`: registry's)."""
    description = describe(check_id)
    return _finding(
        ENGINE_TFGEN,
        check_id,
        title or description.title,
        description.practice if practice is False else practice,
        status,
        file,
        line,
        details,
    )


def run_finding(check_id: str, status: str, file: str, line: int, **details: str | None) -> Finding:
    """tfgen's finding about the run itself (a file not read or parsed, a rule that crashed): at line 1 or below."""
    return tfgen_finding(check_id, status, file, max(1, line), **details)


def checkov_finding(
    check_id: str, status: str, file: str, line: int, *, title: str | None = None, **details: str | None
) -> Finding:
    """A finding of checkov's engine; its practice from the registry, its title checkov's if it gave one."""
    return _finding(
        ENGINE_CHECKOV,
        check_id,
        title or describe(check_id, title).title,
        practice_of(check_id),
        status,
        file,
        line,
        details,
    )


FINDING_FIELDS = tuple(f.name for f in dataclasses.fields(Finding))


def finding_to_json(finding: Finding) -> dict[str, Any]:
    # every field is a str, int, bool or None: a flat dict, without dataclasses.asdict's deep copy
    # (which cost 3 s of a 60 s run on bench/run.py's largest tree)
    return {name: getattr(finding, name) for name in FINDING_FIELDS}


def finding_from_json(item: dict[str, Any]) -> Finding:
    """A finding `finding_to_json` wrote (its shape checked by the caller: `group_cache.check_entry`)."""
    return Finding(**item)


# --- tfgen's engine ---------------------------------------------------------------------------


def rule_findings(module: Module) -> list[Finding]:
    """tfgen's rules over one module, inline skips applied; a skip comment without a reason is a finding too."""
    skips = Skips(module)
    try:
        results: list[Result] = list(run_rules(module))
    except Exception as exc:  # a rule bug must not pass the tree, nor print a traceback
        first = module.files[0]
        return [
            run_finding(
                INTERNAL, FAILED, first.display, 1, message=f"{type(exc).__name__}: {exc}", abs_path=str(first.path)
            )
        ]
    out: list[Finding] = []
    for result in results:
        status, reason = result.status, result.skip_reason
        is_skipped, comment_reason = skips.reason_for(result.rule.id, result.node, result.line)
        if is_skipped:
            status, reason = SKIPPED, comment_reason
        out.append(
            tfgen_finding(
                result.rule.id,
                status,
                result.node.file.display,
                result.line,
                title=result.rule.title,
                practice=result.rule.practice,
                resource=result.address,
                skip_reason=reason,
                message=result.message,
                abs_path=str(result.node.file.path),
            )
        )
    for comment in skips.comments:
        if comment.reason is None:
            node = enclosing(module, comment)
            out.append(
                tfgen_finding(
                    SKIP_REASON_ID,
                    FAILED,
                    comment.source.display,
                    comment.line,
                    practice=practice_of(comment.check_id),
                    resource=node.address if node is not None else None,
                    message=f"#checkov:skip={comment.check_id} gives no reason",
                    abs_path=str(comment.source.path),
                )
            )
    return out


# --- checkov's engine -------------------------------------------------------------------------


@dataclass(frozen=True)
class Places:
    """How findings name the files of one run: by the path checkov or a parser gives."""

    discovery: Discovery
    by_path: Mapping[str, Candidate] = field(default_factory=dict)

    @classmethod
    def of(cls, discovery: Discovery) -> Places:
        by_path: dict[str, Candidate] = {}
        for candidate in discovery.candidates:
            by_path[str(candidate.path)] = candidate
            by_path[os.path.realpath(candidate.path)] = candidate
        return cls(discovery, by_path)

    def candidate(self, path: str) -> Candidate | None:
        return self.by_path.get(path) or self.by_path.get(os.path.realpath(path))

    def display(self, abs_path: str) -> str | None:
        """How findings name a file; None outside every PATH (checkov followed a module source out)."""
        candidate = self.candidate(abs_path)
        if candidate is not None:
            return candidate.display
        best = None
        for root in self.discovery.roots:
            for base in (str(root.directory), os.path.realpath(root.directory)):
                prefix = base.rstrip(os.sep) + os.sep
                if abs_path.startswith(prefix) and (best is None or len(prefix) > len(best[1])):
                    best = (root, prefix)
        if best is None or not self.discovery.inside.holds(abs_path):
            return None
        return best[0].display(Path(abs_path[len(best[1]) :]).as_posix())


def _from_result(result: CheckovResult, display: str, modules: Mapping[str, Module]) -> Finding:
    abs_path = result.abs_path
    module = modules.get(os.path.dirname(abs_path)) or modules.get(os.path.dirname(os.path.realpath(abs_path)))
    resource = result.resource
    if resource and module is not None and result.check_type == "terraform":
        prefix, local = split_address(resource)
        base = local.split("[")[0]
        if base not in module.by_address and f"data.{base}" in module.by_address:
            resource = f"{prefix}data.{local}"
    finding = checkov_finding(
        result.check_id,
        result.status,
        display,
        result.line,
        title=result.title,
        resource=resource,
        skip_reason=result.suppress_comment if result.status == SKIPPED else None,
        abs_path=abs_path,
    )
    return correct(finding, module)


def checkov_findings(output: CheckovOutput, places: Places, modules: Mapping[str, Module]) -> list[Finding]:
    """One checkov report's findings about files inside the PATHs, and a TFGEN_SYNTAX per file it could not parse."""
    out: list[Finding] = []
    for result in output.results:
        display = places.display(result.abs_path)
        if display is None:  # not read by tfgen, not reported (the call is a skipped TFGEN_READ finding)
            continue
        out.append(_from_result(result, display, modules))
    for path in output.parsing_errors:
        candidate = places.candidate(path)
        if candidate is None:
            shown = places.display(path)
            if shown is not None:
                out.append(checkov_finding(SYNTAX, FAILED, shown, 1, title=CHECKOV_UNPARSED, abs_path=path))
            continue
        module = modules.get(str(candidate.path.parent))
        source = next((s for s in module.files if s.candidate is candidate), None) if module else None
        if module is None or source is None:
            continue  # tfgen could not parse it either: already a TFGEN_SYNTAX/TFGEN_READ finding
        is_skipped, reason = Skips(module).file_skip(SYNTAX, source)
        out.append(
            checkov_finding(
                SYNTAX,
                SKIPPED if is_skipped else FAILED,
                candidate.display,
                1,
                title=CHECKOV_UNPARSED,
                message="python-hcl2 parses it, checkov's parser does not (e.g. a template directive with quotes "
                "inside a for expression)",
                skip_reason=reason if is_skipped else None,
                abs_path=str(candidate.path),
            )
        )
    if output.unnamed_parsing_errors:
        root = places.discovery.roots[0]
        out.append(
            checkov_finding(
                SYNTAX,
                FAILED,
                root.display("."),
                1,
                title="checkov could not parse some files and did not name them",
                message=f"{output.unnamed_parsing_errors} file(s)",
            )
        )
    return out
