"""Report writers: text (rich, grouped by practice), json (the spec contract), sarif, junit.

File names, resource names and messages come from the scanned tree and may hold any character
(a file name any byte but `/` and NUL). JSON keeps them exact (json.dumps escapes what JSON
must); every other format shows them through `printable` (no control bytes, no terminal escape
sequences, nothing XML 1.0 forbids) and SARIF percent-encodes its URIs.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import urllib.parse
import xml.etree.ElementTree as ET
from typing import Any

from tfgen import PRACTICES, __version__
from tfgen.printable import printable, printable_or_none
from tfgen.validate.catalog import describe
from tfgen.validate.model import FAILED, PASSED, SKIPPED, Finding, Report
from tfgen.validate.practices import PRACTICE_TITLES

FORMATS = ("text", "json", "sarif", "junit")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(report: Report, fmt: str, *, color: bool = False, width: int | None = None) -> str:
    if fmt == "json":
        return to_json(report)
    if fmt == "sarif":
        return to_sarif(report)
    if fmt == "junit":
        return to_junit(report)
    if fmt == "text":
        return to_text(report, color=color, width=width)
    raise ValueError(f"unknown format {fmt!r}")


# --- json -----------------------------------------------------------------------------------

def to_json(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2) + "\n"


# --- text -----------------------------------------------------------------------------------

def summary_line(report: Report) -> str:
    s = report.summary
    verdict = "FAILED" if s.failed else "PASSED"
    stale = f"; {s.baseline_unmatched} baseline entries unmatched" if s.baseline_unmatched else ""
    return (f"tfgen validate: {verdict}: {s.files} files, {s.passed} passed, {s.failed} failed, "
            f"{s.skipped} skipped, {s.errors} errors{stale}")


def _location(finding: Finding) -> str:
    return f"{printable(finding.file)}:{finding.line}"


def to_text(report: Report, *, color: bool = False, width: int | None = None) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer, force_terminal=color, no_color=not color, color_system="auto" if color else None,
        width=width or (None if color else 120), highlight=False, soft_wrap=False,
    )
    groups = report.by_practice()
    for practice in [*PRACTICES, None]:
        findings = groups.get(practice, [])
        failed = [f for f in findings if f.status == FAILED]
        counts = {status: sum(1 for f in findings if f.status == status) for status in (PASSED, FAILED, SKIPPED)}
        if practice is None and not findings:
            continue
        heading = Text()
        if practice is None:
            heading.append("other checks", style="bold")
            heading.append(" (no practice)")
        else:
            heading.append(practice, style="bold")
            heading.append(f" ({PRACTICE_TITLES[practice]})")
        if failed:
            heading.append(f": {counts[FAILED]} failed", style="bold red")
        elif findings:
            heading.append(": ok", style="bold green")
        else:
            heading.append(": nothing to check", style="dim")
        heading.append(f", {counts[PASSED]} passed, {counts[SKIPPED]} skipped", style="dim")
        console.print(heading)
        if failed:
            table = Table(box=box.SIMPLE_HEAD, show_header=True, header_style="bold", pad_edge=False, expand=True)
            table.add_column("location", overflow="fold", ratio=3)
            table.add_column("check", no_wrap=True)
            table.add_column("resource", overflow="fold", ratio=2)
            table.add_column("problem", overflow="fold", ratio=4)
            for finding in failed:  # Text, never a str: rich would read `[bold]` in a file name as markup
                problem = Text(printable(finding.title))
                if finding.message:
                    problem.append(f"\n{printable(finding.message)}", style="dim")
                table.add_row(Text(_location(finding)), Text(printable(finding.id), style="red"),
                              Text(printable(finding.resource or "")), problem)
            console.print(table)
        console.print()
    s = report.summary
    console.print(Text(summary_line(report), style="bold red" if s.failed else "bold green"))
    return buffer.getvalue()


# --- sarif ----------------------------------------------------------------------------------

def _sarif_uri(finding: Finding) -> str:
    """Relative to the working directory when possible (CI runs from the repository root).

    A URI: the path's bytes percent-encoded, so a space, `#`, `%` or a control byte in a name
    still points at the file.
    """
    path = finding.file
    if finding.abs_path:
        try:
            relative = os.path.relpath(finding.abs_path)
        except ValueError:
            relative = ""
        if relative and not relative.startswith(".."):
            path = relative.replace(os.sep, "/")
    return urllib.parse.quote(os.fsencode(path), safe="/")


def _fingerprint(finding: Finding) -> str:
    text = "|".join((finding.id, finding.file, finding.resource or ""))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


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
        rules.append({
            "id": rule_id,
            "name": rule_id,
            "shortDescription": {"text": description.title},
            "fullDescription": {"text": description.title},
            "help": {"text": description.help, "markdown": f"**{description.title}**\n\n{description.help}"},
            "defaultConfiguration": {"level": "error"},
            "properties": {
                "tags": tags,
                "precision": "high",
                "security-severity": "7.0" if description.practice else "5.0",
                "practice": description.practice,
                "engine": description.engine,
            },
        })
    results: list[dict[str, Any]] = []
    for finding in reported:
        message = finding.title + (f": {finding.message}" if finding.message else "")
        if finding.resource:
            message += f" ({finding.resource})"
        message = printable(message)
        result: dict[str, Any] = {
            "ruleId": finding.id,
            "ruleIndex": index[finding.id],
            "level": "error",
            "message": {"text": message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": _sarif_uri(finding), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": max(1, finding.line)},
                },
            }],
            "partialFingerprints": {"tfgenFinding/v1": _fingerprint(finding)},
            "properties": {"practice": finding.practice, "engine": finding.engine, "resource": printable_or_none(finding.resource)},
        }
        if finding.status == SKIPPED:
            result["suppressions"] = [{
                "kind": "external" if finding.baselined else "inSource",
                "justification": printable(finding.skip_reason or "no reason given"),
            }]
        results.append(result)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "tfgen", "version": __version__, "semanticVersion": __version__, "rules": rules}},
            "automationDetails": {"id": "tfgen-validate/"},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(document, indent=2) + "\n"


# --- junit ----------------------------------------------------------------------------------

def to_junit(report: Report) -> str:
    groups = report.by_practice()
    summary = report.summary
    suites = ET.Element("testsuites", {
        "name": "tfgen validate",
        "tests": str(summary.passed + summary.failed + summary.skipped),
        "failures": str(summary.failed),
        "skipped": str(summary.skipped),
        "errors": "0",
        "time": f"{report.duration_seconds:.3f}",
    })
    for practice in [*PRACTICES, None]:
        findings = groups.get(practice, [])
        if practice is None and not findings:
            continue
        suite = ET.SubElement(suites, "testsuite", {
            "name": practice or "other",
            "tests": str(len(findings)),
            "failures": str(sum(f.status == FAILED for f in findings)),
            "skipped": str(sum(f.status == SKIPPED for f in findings)),
            "errors": "0",
        })
        for finding in findings:
            # every value through `printable`: XML 1.0 cannot hold most control characters even escaped
            case = ET.SubElement(suite, "testcase", {
                "classname": printable(f"tfgen.{practice or 'other'}.{finding.id}"),
                "name": printable(f"{finding.id} {finding.resource or finding.file}"),
                "file": printable(finding.file),
                "line": str(finding.line),
            })
            if finding.status == FAILED:
                failure = ET.SubElement(case, "failure", {"message": printable(finding.title), "type": printable(finding.id)})
                failure.text = printable(f"{_location(finding)}: {finding.title}" + (f": {finding.message}" if finding.message else ""))
            elif finding.status == SKIPPED:
                ET.SubElement(case, "skipped", {"message": printable(finding.skip_reason or "no reason given")})
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


