"""Report writers: text (one line per finding, grouped by practice), json (the spec contract), sarif, junit.

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
from tfgen.validate.registry import CHECKOV_POLICY_INDEX, PRACTICE_TITLES, SARIF_LEVEL, SECURITY_SEVERITY, describe
from tfgen.validate.report import FAILED, PASSED, SKIPPED, UNEVALUATED, Finding, Report

FORMATS = ("text", "json", "sarif", "junit")
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
    if fmt == "json":
        return to_json(report)
    if fmt == "sarif":
        return to_sarif(report)
    if fmt == "junit":
        return to_junit(report)
    if fmt == "text":
        return to_text(report, color=color, width=width, quiet=quiet, show_skipped=show_skipped)
    raise ValueError(f"unknown format {fmt!r}")


# --- json -----------------------------------------------------------------------------------


def to_json(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2) + "\n"


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

# Where to read more about what each practice asks for: for iam and secrets the AWS pages the
# product brief's seed (the Proton security guide) cites, for encryption and audit the KMS and
# CloudTrail guides.
PRACTICE_READING = {
    "iam": "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html",
    "secrets": "https://docs.aws.amazon.com/secretsmanager/latest/userguide/intro.html",
    "encryption": "https://docs.aws.amazon.com/kms/latest/developerguide/overview.html",
    "audit": "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-user-guide.html",
}
TEXT_WIDTH = 100  # help text is wrapped here when the terminal's width is not known
_ANSI = {"bold": "1", "red": "31", "green": "32", "dim": "2", "bold red": "1;31", "bold green": "1;32"}


def read_more(check_id: str) -> str | None:
    """A page about the check (checkov's policy index) or its practice; None without a practice (TFGEN_SYNTAX, ...)."""
    description = describe(check_id)
    if description.engine == "checkov":
        return CHECKOV_POLICY_INDEX
    return PRACTICE_READING.get(description.practice or "")


def how_to_fix(check_id: str, title: str) -> str:
    """What to change: for a checkov id its title is the fix ("Ensure ..."); tfgen's help says why and how."""
    description = describe(check_id, printable(title))
    return description.title if description.engine == "checkov" else description.help


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
        f"tfgen validate: {verdict}: {s.files} files, {s.passed} passed, {s.failed} failed, "
        f"{s.skipped} skipped, {s.errors} errors{stale}{below}{soft}{weakened}"
    )


def _finding_line(report: Report, finding: Finding, paint: Callable[[str, str], str]) -> str:
    """`file:line: ID [practice/severity] what` on one line: every value through `printable`, so no newline in it."""
    head = f"{printable(where(report, finding))}:{finding.line}: "
    tag = f" [{finding.practice or 'other'}/{finding.severity}] "
    if finding.status == SKIPPED:
        what = f"skipped: {printable(finding.skip_reason or 'no reason given')}; {printable(finding.title)}"
    else:
        what = printable(finding.title) + (f": {printable(finding.message)}" if finding.message else "")
    if finding.resource:
        what += f" ({printable(finding.resource)})"
    return head + paint(printable(finding.id), "red" if finding.status == FAILED else "dim") + tag + what


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
        shown = [f for f in findings if f.status == FAILED or (show_skipped and f.status == SKIPPED)]
        if quiet:
            lines.extend(_finding_line(report, f, paint) for f in failed)
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
        lines.extend(_finding_line(report, f, paint) for f in shown)
        for check_id in dict.fromkeys(f.id for f in failed):  # each check once, in the order first seen
            first = next(f for f in failed if f.id == check_id)
            lines.extend(
                wrapped(
                    f"how to fix {printable(check_id)}: {printable(how_to_fix(check_id, first.title))}", width, "  "
                )
            )
            url = read_more(check_id)
            if url:
                lines.append(f"    read more: {url}")
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
