"""Report writers: text (one line per finding, grouped by practice), json (the spec contract), sarif, junit,
github (workflow commands), gitlab (Code Quality) and checkstyle.

File names, resource names and messages come from the scanned tree and may hold any character
(a file name any byte but `/` and NUL). JSON keeps them exact (json.dumps escapes what JSON
must); every other format shows them through `printable` (no control bytes, no terminal escape
sequences, nothing XML 1.0 forbids) and SARIF percent-encodes its URIs.
"""

from __future__ import annotations

import hashlib
import json
import os
import textwrap
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from tfgen import PRACTICES, __version__
from tfgen.printable import printable, printable_or_none
from tfgen.validate.corrections import split_address
from tfgen.validate.registry import (
    PRACTICE_TITLES,
    SARIF_LEVEL,
    SECURITY_SEVERITY,
    SEVERITIES,
    describe,
    read_more,
)
from tfgen.validate.report import FAILED, PASSED, SKIPPED, UNEVALUATED, Finding, Report

FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab", "checkstyle")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(
    report: Report,
    fmt: str,
    *,
    color: bool = False,
    width: int | None = None,
    quiet: bool = False,
    show_skipped: bool = False,
) -> str:
    """`report` in `fmt`; `color`, `width`, `quiet` and `show_skipped` shape the text report only."""
    if fmt == "text":
        return to_text(report, color=color, width=width, quiet=quiet, show_skipped=show_skipped)
    writers: dict[str, Callable[[Report], str]] = {
        "json": to_json,
        "sarif": to_sarif,
        "junit": to_junit,
        "github": to_github,
        "gitlab": to_gitlab,
        "checkstyle": to_checkstyle,
    }
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r}")
    return writers[fmt](report)


# --- json -----------------------------------------------------------------------------------


def to_json(report: Report) -> str:
    """The report indented by two spaces, each finding on a line of its own.

    A finding a line keeps a large report greppable and its diffs a line per finding, and json's C
    encoder writes it: with `indent` json falls back to its Python encoder. Measured on bench/run.py's
    synthetic x8 tree (27,318 findings, 13 MB): `indent=2` throughout 0.23 s, this 0.10 s, on the
    critical path of a warm pull-request run (after checkov ends); each finding's line is its
    `json_text`, which a run the cache answers writes while checkov runs.
    """
    members: list[str] = []
    for key, value in report.to_json(findings=False).items():
        if key == "findings" and report.findings:
            text = "[\n" + ",\n".join("    " + f.json_text for f in report.findings) + "\n  ]"
        else:
            text = json.dumps(value, indent=2).replace("\n", "\n  ")
        members.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(members) + "\n}\n"


# --- where a file is ------------------------------------------------------------------------


def where(report: Report, finding: Finding) -> str:
    """The file as SARIF, JUnit and text name it: a path that resolves from the working directory.

    `finding.file` is relative to the PATH (JSON's contract, and what baselines match); the
    engine's `file_base` is what goes before it: the PATH as typed (`../tree`), or, for an
    absolute PATH, its place under the working directory. An absolute PATH outside the working
    directory keeps `file` alone, so that no report carries an absolute path. Several PATHs put
    each PATH as typed before `file` already; one typed absolute is named from the working
    directory too when it lies under it.
    """
    path = f"{report.file_base}/{finding.file}" if report.file_base else finding.file
    if os.path.isabs(path):
        inside = os.path.relpath(path)
        if inside != os.pardir and not inside.startswith(os.pardir + os.sep):
            return inside.replace(os.sep, "/")
    return path


# --- text -----------------------------------------------------------------------------------

TEXT_WIDTH = 100  # help text is wrapped here when the terminal's width is not known
_ANSI = {
    "bold": "1",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "cyan": "36",
    "dim": "2",
    "bold red": "1;31",
    "bold green": "1;32",
}
# A failed finding's id is painted by its severity, so the eye finds the critical ones first.
SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}


def how_to_fix(check_id: str, title: str) -> str | None:
    """What to change: tfgen's help says why and how; for a checkov id what checkov looks for, where the
    check says so plainly, else None (its title, "Ensure ...", repeated would tell nothing new)."""
    description = describe(check_id, printable(title))
    if description.engine == "checkov":
        return description.fix or None
    return description.help


def summary_line(report: Report) -> str:
    s = report.summary
    blocking = len(report.blocking)
    verdict = "FAILED" if blocking else "PASSED"
    stale = f"; {s.baseline_unmatched} baseline entries unmatched" if s.baseline_unmatched else ""
    # Failed findings that do not fail the run are still counted as failed: say why the verdict differs.
    below = (
        f"; {s.failed - blocking} failed below --fail-on {report.fail_on}, not failing the run"
        if s.failed > blocking
        else ""
    )
    soft = "; --soft-fail: exit 0" if report.soft_fail and blocking else ""
    since = f"; only what changed since {report.changed_since}" if report.changed_since is not None else ""
    by_severity = [
        f"{n} {severity}"
        for severity in reversed(SEVERITIES)
        if (n := sum(f.severity == severity for f in report.failed))
    ]
    failed = f"{s.failed} failed" + (f" ({', '.join(by_severity)})" if by_severity else "")
    # A repository's settings file may weaken the verdict: the reader of any report sees how and where.
    weakened = (
        "; weakened by settings: "
        + ", ".join(
            f"{u.key} = {json.dumps(u.value)} ({u.file}{'' if u.line is None else f':{u.line}'})"
            for u in report.settings
        )
        if report.settings
        else ""
    )
    return printable(
        f"tfgen validate: {verdict}: {s.files} files, {s.passed} passed, {failed}, "
        f"{s.skipped} skipped, {s.errors} errors{since}{stale}{below}{soft}{weakened}"
    )


def _plain(text: str, style: str) -> str:
    return text


# One text line stands for the findings of one check at one place that module instances repeat
# (`Instances`), and for the checks that flag one credential at one place (a `Row` of several).
Instances = tuple[Finding, ...]
Row = tuple[Instances, ...]


def _rank(severity: str) -> int:
    return -SEVERITIES.index(severity)


def _row_severity(row: Row) -> str:
    return max((f.severity for instances in row for f in instances), key=SEVERITIES.index)


def rows(findings: list[Finding]) -> list[Row]:
    """The lines the text report prints for these findings (one practice's), in the order to fix them.

    Failed findings first, most severe first, then by file and line; then skipped ones by file and
    line. A check's findings at one file and line that differ only in the module instance their
    resource lies in are one line (JSON keeps each); failed findings of the secrets practice at one
    file and line (one credential found by several checks, tfgen's first) are one line.
    """
    by_place: dict[tuple[object, ...], list[Finding]] = {}
    for f in findings:
        local = split_address(f.resource)[1] if f.resource else None
        by_place.setdefault((f.id, f.status, f.file, f.line, f.message, f.skip_reason, local), []).append(f)
    credentials: dict[tuple[str, int], list[Instances]] = {}
    out: list[Row] = []
    for group in by_place.values():
        first = group[0]
        if first.status == FAILED and first.practice == "secrets" and first.id not in UNEVALUATED:
            credentials.setdefault((first.file, first.line), []).append(tuple(group))
        else:
            out.append((tuple(group),))
    for groups in credentials.values():
        out.append(tuple(sorted(groups, key=lambda g: (g[0].engine != "tfgen", g[0].id))))

    def order(row: Row) -> tuple[object, ...]:
        first = row[0][0]
        failed = first.status == FAILED
        return (not failed, _rank(_row_severity(row)) if failed else 0, first.file, first.line, first.id)

    return sorted(out, key=order)


def _instances_text(instances: Instances) -> str:
    """`(aws_s3_bucket.this)`, or for instances `(aws_s3_bucket.this) (x3: module.a, module.b, module.c)`."""
    resource = instances[0].resource
    if not resource:
        return ""
    if len(instances) == 1:
        return f" ({printable(resource)})"
    modules = [split_address(f.resource or "")[0].removesuffix(".") or "(root)" for f in instances]
    return f" ({printable(split_address(resource)[1])}) (x{len(instances)}: {printable(', '.join(modules))})"


def _row_parts(report: Report, row: Row) -> tuple[str, str, str, str]:
    """A row's (file as named from here, ids, `practice/severity`, what), every value through `printable`."""
    first = row[0][0]
    if first.status == SKIPPED:
        what = f"skipped: {printable(first.skip_reason or 'no reason given')}; {printable(first.title)}"
    else:
        what = printable(first.title) + (f": {printable(first.message)}" if first.message else "")
    what += _instances_text(row[0])
    ids = ", ".join(printable(instances[0].id) for instances in row)
    return printable(where(report, first)), ids, f"{first.practice or 'other'}/{_row_severity(row)}", what


def row_line(report: Report, row: Row, paint: Callable[[str, str], str] = _plain) -> str:
    """`file:line: ID [practice/severity] what` on one line: every value through `printable`, so no newline in it."""
    first = row[0][0]
    path, ids, tag, what = _row_parts(report, row)
    style = SEVERITY_STYLE[_row_severity(row)] if first.status == FAILED else "dim"
    return f"{path}:{first.line}: {paint(ids, style)} [{tag}] {what}"


def finding_line(report: Report, finding: Finding, paint: Callable[[str, str], str] = _plain) -> str:
    """One finding's line, as the text report prints it."""
    return row_line(report, ((finding,),), paint)


def wrapped(text: str, width: int, indent: str) -> list[str]:
    """Wrapped between words only: a URL, a path or a resource name is never cut, however narrow the width."""
    return textwrap.wrap(
        text,
        width=max(width, 20),
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_long_words=False,
        break_on_hyphens=False,
    )


def to_text(
    report: Report, *, color: bool = False, width: int | None = None, quiet: bool = False, show_skipped: bool = False
) -> str:
    def paint(text: str, style: str) -> str:
        return f"\x1b[{_ANSI[style]}m{text}\x1b[0m" if color else text

    width = width or TEXT_WIDTH
    lines: list[str] = []
    groups = report.by_practice()
    for practice in [*PRACTICES, None]:
        findings = groups.get(practice, [])
        if practice is None and not findings:
            continue
        failed = [f for f in findings if f.status == FAILED]
        shown = rows([f for f in findings if f.status == FAILED or (show_skipped and f.status == SKIPPED)])
        if quiet:
            lines.extend(row_line(report, row, paint) for row in shown)
            continue
        counts = {status: sum(1 for f in findings if f.status == status) for status in (PASSED, FAILED, SKIPPED)}
        name = "other" if practice is None else practice
        title = "no practice" if practice is None else PRACTICE_TITLES[practice]
        if failed:
            verdict = paint(f"{counts[FAILED]} failed", "bold red")
        elif findings:
            verdict = paint("ok", "bold green")
        else:
            verdict = "nothing to check"
        lines.append(f"{paint(name, 'bold')} ({title}): {verdict}, {counts[PASSED]} passed, {counts[SKIPPED]} skipped")
        lines.extend(row_line(report, row, paint) for row in shown)
        # each check once, in the order its first line is printed
        for check_id in dict.fromkeys(i[0].id for row in shown for i in row if i[0].status == FAILED):
            first = next(f for f in failed if f.id == check_id)
            fix = how_to_fix(check_id, first.title)
            url = read_more(check_id)
            if fix:
                lines.extend(wrapped(f"how to fix {printable(check_id)}: {printable(fix)}", width, "  "))
                if url:
                    lines.append(f"    read more: {url}")
            elif url:
                lines.append(f"  {printable(check_id)}: read more: {url}")
        lines.append("")
    lines.append(paint(summary_line(report), "bold red" if report.blocking else "bold green"))
    return "".join(line.rstrip() + "\n" for line in lines)


# --- sarif ----------------------------------------------------------------------------------


def _sarif_uri(report: Report, finding: Finding) -> str:
    """The file from the working directory (see `where`; CI runs from the repository root), as a URI.

    The path's bytes percent-encoded, so a space, `#`, `%` or a control byte in a name still
    points at the file.
    """
    return urllib.parse.quote(os.fsencode(where(report, finding)), safe="/")


def _fingerprint(finding: Finding) -> str:
    text = "|".join((finding.id, finding.file, finding.resource or ""))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def sarif_category(report: Report) -> str:
    """`automationDetails.id`: code scanning keeps one analysis per category, so each shard has its own.

    With one category a matrix of shards overwrote itself: the last upload replaced the others.
    The trailing slash makes the whole id the category (SARIF 2.1.0, 3.17.4).
    """
    if report.shard:
        index, count = report.shard
        return f"tfgen-validate/shard-{index}-of-{count}/"
    return "tfgen-validate/"


def to_sarif(report: Report) -> str:
    reported = [f for f in report.findings if f.status in (FAILED, SKIPPED)]
    rule_ids = sorted({f.id for f in reported})
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for rule_id in rule_ids:
        title = next((f.title for f in reported if f.id == rule_id), rule_id)
        description = describe(rule_id, printable(title))
        tags = ["security", "terraform"] + ([description.practice] if description.practice else [])
        index[rule_id] = len(rules)
        rules.append(
            {
                "id": rule_id,
                "name": rule_id,
                "shortDescription": {"text": description.title},
                "fullDescription": {"text": description.title},
                "help": {"text": description.help, "markdown": description.help_markdown},
                **({"helpUri": url} if (url := read_more(rule_id)) else {}),
                "defaultConfiguration": {"level": SARIF_LEVEL[description.severity]},
                "properties": {
                    "tags": tags,
                    "precision": "high",
                    "security-severity": SECURITY_SEVERITY[description.severity],
                    "severity": description.severity,
                    "practice": description.practice,
                    "engine": description.engine,
                },
            }
        )
    results: list[dict[str, Any]] = []
    for finding in reported:
        message = finding.title + (f": {finding.message}" if finding.message else "")
        if finding.resource:
            message += f" ({finding.resource})"
        message = printable(message)
        result: dict[str, Any] = {
            "ruleId": finding.id,
            "ruleIndex": index[finding.id],
            "level": SARIF_LEVEL[describe(finding.id, finding.title).severity],
            "message": {"text": message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _sarif_uri(report, finding), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": max(1, finding.line)},
                    },
                }
            ],
            "partialFingerprints": {"tfgenFinding/v1": _fingerprint(finding)},
            "properties": {
                "practice": finding.practice,
                "engine": finding.engine,
                "resource": printable_or_none(finding.resource),
            },
        }
        if finding.status == SKIPPED:
            result["suppressions"] = [
                {
                    "kind": "external" if finding.baselined else "inSource",
                    "justification": printable(finding.skip_reason or "no reason given"),
                }
            ]
        results.append(result)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {"name": "tfgen", "version": __version__, "semanticVersion": __version__, "rules": rules}
                },
                "automationDetails": {"id": sarif_category(report)},
                **(
                    {"properties": {"tfgenSettings": [u.to_json() for u in report.settings]}} if report.settings else {}
                ),
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"


# --- junit ----------------------------------------------------------------------------------


def _junit_counts(findings: list[Finding]) -> dict[str, str]:
    """JUnit's counts: `errors` (not evaluated) and `failures` (failed checks) are disjoint, as their elements."""
    errors = sum(f.status == FAILED and f.id in UNEVALUATED for f in findings)
    return {
        "tests": str(len(findings)),
        "failures": str(sum(f.status == FAILED for f in findings) - errors),
        "errors": str(errors),
        "skipped": str(sum(f.status == SKIPPED for f in findings)),
    }


def to_junit(report: Report) -> str:
    """One test suite per practice, one test case per check and resource.

    A finding tfgen could not evaluate (a file that does not parse or cannot be read, a module
    its rules could not finish) is an `<error>`, a failed check a `<failure>`: `errors` is the
    JSON summary's `errors`, `failures` + `errors` its `failed`.
    """
    groups = report.by_practice()
    suites = ET.Element(
        "testsuites",
        {"name": "tfgen validate", **_junit_counts(report.findings), "time": f"{report.duration_seconds:.3f}"},
    )
    for practice in [*PRACTICES, None]:
        findings = groups.get(practice, [])
        if practice is None and not findings:
            continue
        suite = ET.SubElement(suites, "testsuite", {"name": practice or "other", **_junit_counts(findings)})
        for finding in findings:
            # every value through `printable`: XML 1.0 cannot hold most control characters even escaped
            path = where(report, finding)
            case = ET.SubElement(
                suite,
                "testcase",
                {
                    "classname": printable(f"tfgen.{practice or 'other'}.{finding.id}"),
                    "name": printable(f"{finding.id} {finding.resource or path}"),
                    "file": printable(path),
                    "line": str(finding.line),
                },
            )
            properties = ET.SubElement(
                case, "properties"
            )  # JUnit's per-case properties (GitLab, Jenkins, pytest show them)
            for key, value in (
                ("severity", finding.severity),
                ("practice", finding.practice or "other"),
                ("engine", finding.engine),
            ):
                ET.SubElement(properties, "property", {"name": key, "value": value})
            if finding.status == FAILED:
                kind = "error" if finding.id in UNEVALUATED else "failure"
                element = ET.SubElement(
                    case, kind, {"message": printable(finding.title), "type": printable(finding.id)}
                )
                element.text = printable(
                    f"{path}:{finding.line}: {finding.title}" + (f": {finding.message}" if finding.message else "")
                )
            elif finding.status == SKIPPED:
                ET.SubElement(case, "skipped", {"message": printable(finding.skip_reason or "no reason given")})
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


# --- github ---------------------------------------------------------------------------------

# GitHub's annotation levels; a check's severity picks one as SARIF's level does.
GITHUB_LEVEL = {"low": "notice", "medium": "warning", "high": "error", "critical": "error"}


def _github_data(text: str) -> str:
    """A workflow command's message: `%`, CR and LF escaped as the runner unescapes them."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    """A workflow command's property value: also `:` and `,`, which end a value."""
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(report: Report) -> str:
    """One `::error file=F,line=N,title=ID::what` workflow command per text-report line of a failed
    finding, most severe first (GitHub shows a limited number of annotations per step), then the
    summary line: GitHub Actions turns each command into an annotation on that line of the diff."""
    lines = []
    for row in rows(report.failed):
        path, ids, tag, what = _row_parts(report, row)
        level = GITHUB_LEVEL[_row_severity(row)]
        properties = f"file={_github_property(path)},line={row[0][0].line},title={_github_property(f'{ids} [{tag}]')}"
        lines.append(f"::{level} {properties}::{_github_data(what)}")
    lines.append(summary_line(report))
    return "".join(line + "\n" for line in lines)


# --- gitlab ---------------------------------------------------------------------------------

# GitLab Code Quality's severities (info, minor, major, critical, blocker) for the registry's.
GITLAB_SEVERITY = {"low": "minor", "medium": "major", "high": "critical", "critical": "blocker"}


def to_gitlab(report: Report) -> str:
    """GitLab Code Quality (`artifacts:reports:codequality`): a JSON array of issues, one per failed
    finding (each module instance too: GitLab lists what the JSON report lists).

    The fingerprint (GitLab compares a merge request's with its target's to show what is new or
    fixed) hashes the check, file, resource and message, not the line, so edits above a finding do not
    make it new; a second finding with the same four (two credentials in one block) gets its own.
    """
    issues: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for finding in report.failed:
        path = where(report, finding)
        identity = "\0".join((finding.id, path, finding.resource or "", finding.message or ""))
        seen[identity] = seen.get(identity, 0) + 1
        digest = hashlib.sha256(f"{identity}\0{seen[identity]}".encode("utf-8", "surrogateescape")).hexdigest()
        description = finding.title + (f": {finding.message}" if finding.message else "")
        if finding.resource:
            description += f" ({finding.resource})"
        issues.append(
            {
                "type": "issue",
                "check_name": finding.id,
                "description": printable(f"{finding.id} {description}"),
                "categories": ["Security"],
                "severity": GITLAB_SEVERITY[finding.severity],
                "fingerprint": digest,
                "location": {"path": printable(path), "lines": {"begin": max(1, finding.line)}},
            }
        )
    return json.dumps(issues, indent=2) + "\n"


# --- checkstyle -----------------------------------------------------------------------------

CHECKSTYLE_SEVERITY = {"low": "info", "medium": "warning", "high": "error", "critical": "error"}


def to_checkstyle(report: Report) -> str:
    """Checkstyle's XML report (read by reviewdog, Jenkins, SonarQube, ...): a `<file>` per file with
    a failed finding, an `<error>` per failed finding, its `source` the check id."""
    root = ET.Element("checkstyle", {"version": "4.3"})
    files: dict[str, ET.Element] = {}
    for finding in sorted(report.failed, key=Finding.sort_key):
        path = printable(where(report, finding))
        if path not in files:
            files[path] = ET.SubElement(root, "file", {"name": path})
        message = f"[{finding.practice or 'other'}/{finding.severity}] {finding.title}"
        message += f": {finding.message}" if finding.message else ""
        message += f" ({finding.resource})" if finding.resource else ""
        ET.SubElement(
            files[path],
            "error",
            {
                "line": str(max(1, finding.line)),
                "severity": CHECKSTYLE_SEVERITY[finding.severity],
                "message": printable(message),
                "source": printable(finding.id),
            },
        )
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
