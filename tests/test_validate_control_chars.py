"""Any file name Linux allows, in every format: well-formed, no raw control bytes, still names the file.

A name may hold any byte but `/` and NUL: ESC sequences, newlines, bidi overrides, bytes that
are not UTF-8, `<&>` and quotes, rich markup (`[bold]`), 250 bytes. Each format must stay
what its reader expects: JSON exact JSON (the name as it is), SARIF valid JSON with the name
percent-encoded in its URI, JUnit XML that xml.etree parses, text without control characters.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import unicodedata
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.in_process_cli import report_bytes_in_every_format
from support.validate import ROOT, checkov_or_skip
from typer.testing import CliRunner

from tfgen.cli import app
from tfgen.printable import printable
from tfgen.validate.formats import FORMATS

CASES = ROOT / "tests" / "cases" / "trust"
runner = CliRunner()

ODD_NAMES = [
    b"esc\x1b[31mred\x1b[0m.tf",
    b"new\nline.tf",
    b"cr\rbell\x07tab\t.tf",
    b"<&>\"'.tf",
    "bidi\u202eft.tf".encode(),
    b"latin1-\xe9.tf",
    b"[bold]markup[red].tf",
    b"sp ace %20 #?.tf",
    b"del\x7fc1\xc2\x9b.tf",
    "\ufffe\uffff.tf".encode(),
    ("\u00e9\u4e2d\U0001f600" * 20 + ".tf").encode(),
    b"x" * 252 + b".tf",
]


def write_failing(directory: Path, name: bytes, source: Path = CASES / "failing.tf") -> None:
    with open(os.path.join(os.fsencode(directory), name), "wb") as handle:
        handle.write(source.read_bytes())


def check_reports(tree: Path, names: list[bytes], *extra: str) -> dict[str, bytes]:
    """Every format of one run over `tree`, in which each of `names` holds a failed TFGEN_SECRETS_2 finding;
    returns the reports."""
    shown = {os.fsdecode(n) for n in names}
    reports = report_bytes_in_every_format(tree, *extra)
    assert list(reports) == list(FORMATS)
    for fmt, data in reports.items():
        if fmt == "json":
            files = {
                f["file"]
                for f in json.loads(data)["findings"]
                if f["id"] == "TFGEN_SECRETS_2" and f["status"] == "failed"
            }
            assert files == shown  # exact: the name as the file system has it
        elif fmt == "sarif":
            document = json.loads(data)
            uris = {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for r in document["runs"][0]["results"]
                if r["ruleId"] == "TFGEN_SECRETS_2"
            }
            assert uris == {urllib.parse.quote(n, safe="/") for n in names}
            for r in document["runs"][0]["results"]:
                assert r["message"]["text"].isprintable(), r["message"]["text"]
        elif fmt == "junit":
            suites = ET.fromstring(data)
            failed = {
                case.get("file")
                for case in suites.iter("testcase")
                if case.find("failure") is not None and case.get("name", "").startswith("TFGEN_SECRETS_2 ")
            }
            assert failed == {printable(s) for s in shown}
        elif fmt == "gitlab":
            issues = json.loads(data)
            paths = {i["location"]["path"] for i in issues if i["check_name"] == "TFGEN_SECRETS_2"}
            assert paths == {printable(s) for s in shown}
        elif fmt == "checkstyle":
            root = ET.fromstring(data)
            files = {f.get("name") for f in root.iter("file") if any(e.get("source") == "TFGEN_SECRETS_2" for e in f)}
            assert files == {printable(s) for s in shown}
        elif fmt == "github":
            text = data.decode("utf-8")
            assert all(line.isprintable() for line in text.splitlines())
            files = set()
            for line in text.splitlines()[:-1]:
                properties = line.split("::")[1].split(" ", 1)[1]
                fields = dict(item.split("=", 1) for item in properties.split(","))
                if fields["title"].startswith("TFGEN_SECRETS_2 "):
                    files.add(_github_unescape(fields["file"]))
            assert files == {printable(s) for s in shown}
        else:
            text = data.decode("utf-8")  # strict: no lone surrogate, no stray byte
            bad = [c for c in text if c != "\n" and (unicodedata.category(c) in ("Cc", "Cs") or not c.isprintable())]
            assert not bad, bad
            # one line per finding, never wrapped: every name whole at the start of its line, however long
            lines = text.splitlines()
            for name in shown:
                assert any(
                    line.startswith(f"{printable(name)}:2: TFGEN_SECRETS_2 [secrets/critical] ") for line in lines
                ), name
    return reports


def _github_unescape(value: str) -> str:
    """What the Actions runner makes of a workflow command's property value."""
    for escaped, plain in (("%2C", ","), ("%3A", ":"), ("%0A", "\n"), ("%0D", "\r"), ("%25", "%")):
        value = value.replace(escaped, plain)
    return value


def test_odd_names_in_every_format(tmp_path: Path) -> None:
    for name in ODD_NAMES:
        write_failing(tmp_path, name)
    check_reports(tmp_path, ODD_NAMES, "--skip-checkov")


def test_odd_names_are_escaped_in_one_line_errors(tmp_path: Path) -> None:
    name = tmp_path / "gone\x1b[2J\nforged line.tf"
    result = runner.invoke(app, ["validate", str(name), "--skip-checkov", "--no-cache"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "\x1b" not in result.stderr, result.stderr
    assert "gone\\x1b[2J\\nforged line.tf" in result.stderr


@pytest.mark.checkov
def test_odd_names_in_every_format_with_checkov(tmp_path: Path) -> None:
    checkov_or_skip()
    for name in ODD_NAMES:
        write_failing(tmp_path, name)
    # a resource checkov fails too, in a file with an odd name, in a directory with one
    odd_dir = tmp_path / "dir\x1b]0;title\x07<&>"
    odd_dir.mkdir()
    (odd_dir / "key\x1b[1m.tf").write_text('resource "aws_kms_key" "k" {\n  enable_key_rotation = false\n}\n')
    reports = check_reports(tmp_path, ODD_NAMES)
    checkov_files = {f["file"] for f in json.loads(reports["json"])["findings"] if f["engine"] == "checkov"}
    assert "dir\x1b]0;title\x07<&>/key\x1b[1m.tf" in checkov_files


file_names = (
    st.one_of(
        st.binary(min_size=1, max_size=252),
        st.text(min_size=1, max_size=60).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.lists(
            st.sampled_from(
                [b"\x1b[", b"31m", b"\n", b"\r", b"<", b"&", b">", b'"', b"'", b" ", b"[bold]", b"\xe9", b"\x9b", b"%"]
            ),
            min_size=1,
            max_size=12,
        ).map(b"".join),
    )
    .map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_")[:252] + b".tf")
    .filter(lambda b: b".tfvars" not in b)
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=file_names)
def test_any_file_name_in_every_format(name: bytes) -> None:
    tree = Path(tempfile.mkdtemp(prefix="tfgen-names-"))
    try:
        write_failing(tree, name)
        check_reports(tree, [name], "--skip-checkov")
    finally:
        shutil.rmtree(tree)
