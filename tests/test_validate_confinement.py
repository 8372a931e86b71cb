"""`tfgen validate` reads nothing outside the scanned PATHs, and no report carries an absolute path (issue #8 B).

Outside the PATHs sit a credentials file and a module with a failing resource; inside, a symlink to
each, a `source = "../../../outside/module"` and a `./linked` directory link out. If tfgen read any
of them, the secret or the outside module's finding would reach a report.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from support.cli import json_findings, reports_in_every_format
from typer.testing import CliRunner
from support.validate import ROOT, checkov_or_skip

from tfgen.cli import app
from tfgen.validate import groups as groups_mod
from tfgen.validate.discover import discover

CASES = ROOT / "tests" / "cases" / "trust"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
runner = CliRunner()


def hostile_tree(base: Path) -> Path:
    """base/outside/... (never to be read) and base/a/b/c (the PATH); returns the PATH."""
    outside = base / "outside"
    (outside / "module").mkdir(parents=True)
    shutil.copy(CASES / "aws_credentials", outside / "credentials")
    shutil.copy(CASES / "failing.tf", outside / "module" / "main.tf")
    shutil.copy(CASES / "failing.tf", outside / "secret.tf")
    scan = base / "a" / "b" / "c"
    scan.mkdir(parents=True)
    shutil.copy(CASES / "calls_outside" / "main.tf", scan / "main.tf")
    os.symlink("../../../outside/credentials", scan / "creds.tf")
    os.symlink(str(outside / "secret.tf"), scan / "shared.tf")  # an absolute link
    os.symlink("../../../outside/credentials", scan / "settings.yml")  # checkov's secrets framework reads .yml
    os.symlink("../../../outside/module", scan / "linked")
    os.symlink(str(outside / "missing.tf"), scan / "gone.tf")  # dangling, to an absolute path
    return scan


def assert_confined(texts: dict[str, str], base: Path) -> None:
    for fmt, text in texts.items():
        assert SECRET_KEY not in text and "AKIAIOSFODNN7EXAMPLE" not in text, fmt
        for absolute in {str(base), os.path.realpath(base), "/tmp/", str(ROOT)}:
            assert absolute not in text, (fmt, absolute)
        assert "outside/module/main.tf" not in text and "secret.tf" not in text, fmt


def test_nothing_outside_is_read_or_printed(tmp_path: Path) -> None:
    scan = hostile_tree(tmp_path)
    # every format exits 1: gone.tf, a dangling link, is a failed TFGEN_READ
    assert_confined(reports_in_every_format(scan, "--skip-checkov"), tmp_path)
    by_file: dict[object, list[dict[str, object]]] = {}
    for finding in json_findings(scan, "--skip-checkov"):
        by_file.setdefault(finding["file"], []).append(finding)
    # no finding of the outside files' content (TFGEN_SECRETS_2, TFGEN_SYNTAX): only why they were skipped
    for name in ("creds.tf", "shared.tf", "settings.yml"):
        [finding] = by_file[name]
        assert (finding["id"], finding["status"]) == ("TFGEN_READ", "skipped"), finding
        assert "outside the scanned paths" in str(finding["skip_reason"]), finding
    [gone] = by_file["gone.tf"]
    assert gone["status"] == "failed" and gone["message"] == "dangling symlink to an absolute path"
    calls = {(f["line"], f["status"], f["skip_reason"]) for f in by_file["main.tf"] if f["id"] == "TFGEN_READ"}
    assert calls == {
        (3, "skipped", "module source '../../../outside/module' is outside the scanned paths: not read "
                       "(pass its directory as a PATH to check it)"),
        (7, "skipped", "module source './linked' is outside the scanned paths: not read "
                       "(pass its directory as a PATH to check it)"),
    }, by_file["main.tf"]


def test_called_modules_outside_are_not_group_inputs(tmp_path: Path) -> None:
    scan = hostile_tree(tmp_path)
    found = discover([str(scan)])
    contents = {str(c.path): c.path.read_bytes() for c in found.candidates if c.problem is None}
    [group] = groups_mod.build(found, contents)
    assert group.deps == {} and group.dep_dirs == []
    assert [(o.display, o.line) for o in group.outside] == [("main.tf", 3), ("main.tf", 7)]


def test_outside_becomes_inside_when_passed_as_a_path(tmp_path: Path) -> None:
    scan = hostile_tree(tmp_path)
    result = runner.invoke(app, ["validate", str(scan), str(tmp_path / "outside"), "--skip-checkov", "--no-cache",
                                 "--format", "json"])
    ids = {(f["file"].rsplit("/", 1)[-1], f["id"], f["status"]) for f in json.loads(result.stdout)["findings"]}
    assert ("shared.tf", "TFGEN_SECRETS_2", "failed") in ids  # the link's target is now scanned
    assert ("main.tf", "TFGEN_SECRETS_2", "failed") in ids  # outside/module/main.tf


@pytest.mark.checkov
@pytest.mark.parametrize("in_place", [False, True], ids=["over-a-copy", "in-place"])
def test_nothing_outside_is_printed_with_checkov(tmp_path: Path, in_place: bool) -> None:
    """checkov follows module sources itself; what it reports from outside never reaches a report."""
    checkov_or_skip()
    scan = hostile_tree(tmp_path)
    if in_place:  # downloaded modules make checkov scan the PATH itself (engine.DOWNLOADED_MODULES_DIR)
        (scan / ".external_modules").mkdir()
    (tmp_path / "outside" / "module" / "bucket.tf").write_text('resource "aws_s3_bucket" "outside" {\n  bucket = "x"\n}\n')
    texts = reports_in_every_format(scan)
    assert_confined(texts, tmp_path)
    assert "aws_s3_bucket.outside" not in texts["json"]
    assert json.loads(texts["json"])["checkov"]["ran"] is True
