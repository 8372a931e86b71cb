"""`tfgen validate` reads nothing outside the scanned PATHs, and no report carries an absolute path.

Outside the PATHs sit a credentials file and a module with a failing resource; inside, a symlink to
each, a `source = "../../../outside/module"` and a `./linked` directory link out. If tfgen read any
of them, the secret or the outside module's finding would reach a report.
"""

from __future__ import annotations

import json
import os
import posixpath
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.in_process_cli import json_findings, reports_in_every_format
from support.validate import POLICY_MODULE, ROOT, checkov_or_skip
from typer.testing import CliRunner

from tfgen.cli import app
from tfgen.validate import ValidateOptions, checkov_batches, validate_paths
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
        (
            3,
            "skipped",
            "module source '../../../outside/module' is outside the scanned paths: not read "
            "(pass its directory as a PATH to check it)",
        ),
        (
            7,
            "skipped",
            "module source './linked' is outside the scanned paths: not read "
            "(pass its directory as a PATH to check it)",
        ),
    }, by_file["main.tf"]


def test_a_file_given_as_a_path_says_which_module_calls_it_does_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tfgen validate live/main.tf` reads neither ../modules/m nor ./local (outside what was asked;
    checkov given the file alone loads neither): a skipped finding at each source line says so, as for
    a directory PATH. With the module's directory as a PATH too, it is read and judged instead."""
    (tmp_path / "live").mkdir()
    (tmp_path / "modules/m").mkdir(parents=True)
    (tmp_path / "modules/m/main.tf").write_text(POLICY_MODULE)
    (tmp_path / "live/main.tf").write_text(
        'module "m" {\n  source  = "../modules/m"\n  actions = ["*"]\n}\n\nmodule "l" {\n  source = "./local"\n}\n'
    )
    monkeypatch.chdir(tmp_path)
    alone = [f for f in json_findings(Path("live/main.tf"), "--skip-checkov") if f["id"] == "TFGEN_READ"]
    reason = "module source {!r} is outside the scanned paths: not read (pass its directory as a PATH to check it)"
    assert [(f["line"], f["status"], f["skip_reason"]) for f in alone] == [
        (2, "skipped", reason.format("../modules/m")),
        (7, "skipped", reason.format("./local")),
    ]
    both = json_findings(Path("live/main.tf"), "modules", "--skip-checkov")
    assert [f["line"] for f in both if f["id"] == "TFGEN_READ"] == [7]
    assert any(f["id"] == "TFGEN_IAM_4" and f["status"] == "failed" for f in both), both


def test_called_modules_outside_are_not_group_inputs(tmp_path: Path) -> None:
    scan = hostile_tree(tmp_path)
    found = discover([str(scan)])
    contents = {str(c.path): c.path.read_bytes() for c in found.candidates if c.problem is None}
    [group] = groups_mod.build(found, contents)
    assert group.deps == {} and group.dep_dirs == []
    assert [(o.display, o.line) for o in group.outside] == [("main.tf", 3), ("main.tf", 7)]


def test_outside_becomes_inside_when_passed_as_a_path(tmp_path: Path) -> None:
    scan = hostile_tree(tmp_path)
    result = runner.invoke(
        app, ["validate", str(scan), str(tmp_path / "outside"), "--skip-checkov", "--no-cache", "--format", "json"]
    )
    ids = {(f["file"].rsplit("/", 1)[-1], f["id"], f["status"]) for f in json.loads(result.stdout)["findings"]}
    assert ("shared.tf", "TFGEN_SECRETS_2", "failed") in ids  # the link's target is now scanned
    assert ("main.tf", "TFGEN_SECRETS_2", "failed") in ids  # outside/module/main.tf


@pytest.mark.checkov
@pytest.mark.parametrize("downloaded", [False, True], ids=["over-a-copy", "downloaded-modules"])
def test_nothing_outside_is_printed_with_checkov(tmp_path: Path, downloaded: bool) -> None:
    """checkov follows module sources itself; what it reports from outside never reaches a report."""
    checkov_or_skip()
    scan = hostile_tree(tmp_path)
    if downloaded:  # downloaded modules enter checkov's copy: still nothing from outside
        (scan / ".external_modules").mkdir()
    (tmp_path / "outside" / "module" / "bucket.tf").write_text(
        'resource "aws_s3_bucket" "outside" {\n  bucket = "x"\n}\n'
    )
    texts = reports_in_every_format(scan)
    assert_confined(texts, tmp_path)
    assert "aws_s3_bucket.outside" not in texts["json"]
    assert json.loads(texts["json"])["checkov"]["ran"] is True


TEE = """#!{python}
import subprocess, sys
done = subprocess.run([{real!r}, *sys.argv[1:]], stdout=subprocess.PIPE)
with open({log!r}, "ab") as handle:
    handle.write(done.stdout)
with open({log!r} + ".runs", "a") as handle:
    handle.write("run\\n")
sys.stdout.buffer.write(done.stdout)
sys.exit(done.returncode)
"""


@pytest.mark.checkov
@pytest.mark.parametrize("mode", ["groups-in-one-copy", "a-copy-per-group-with-downloaded-modules"])
def test_checkov_never_reads_where_a_source_leads_outside(
    tmp_path: Path, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failing module planted where `../x_outside_probe` leads, from the PATH and from any copy in
    TMPDIR: checkov's raw report (captured by a wrapper) never names it, so checkov never read it.

    A second module-call group's source climbs three levels to the same place. The tree is checked
    in one copy holding both groups (what one checkov run over the whole PATH sees), and in a copy
    per group, each padded for its own files (`checkov_batches.padding`), with downloaded modules (a
    reason a simpler tool would scan the PATH in place)."""
    real = checkov_or_skip()
    scan = tmp_path / "scan"
    scan.mkdir()
    shutil.copy(CASES / "calls_probe" / "main.tf", scan / "main.tf")
    tmp = tmp_path / "tmp"  # checkov's copies are made here: `..` from one leads to tmp/x_outside_probe
    for beside in (tmp_path, tmp):
        (beside / "x_outside_probe").mkdir(parents=True)
        shutil.copy(CASES / "outside_probe.tf", beside / "x_outside_probe" / "main.tf")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    if mode.endswith("downloaded-modules"):
        (scan / ".external_modules").mkdir()
    jobs = 1 if mode == "groups-in-one-copy" else 2
    deeper = (scan / "main.tf").read_text().replace('"../x_outside_probe"', '"../../../x_outside_probe"')
    (scan / "deep" / "er").mkdir(parents=True)
    (scan / "deep" / "er" / "main.tf").write_text(deeper.replace('"alerts"', '"deeper"'))
    log = tmp_path / "checkov-stdout"
    wrapper = tmp_path / "checkov"
    wrapper.write_text(TEE.format(python=sys.executable, real=str(real), log=str(log)))
    wrapper.chmod(0o755)
    report = validate_paths([str(scan)], ValidateOptions(checkov=str(wrapper), checkov_jobs=jobs, checkov_timeout=300))
    raw = log.read_text()
    assert "aws_sns_topic.alerts" in raw, "checkov ran and reported the scanned topic"
    assert "x_outside_probe" not in raw and "planted_outside" not in raw
    assert not [f for f in report.findings if "planted" in json.dumps(f.to_json())]
    assert len(Path(f"{log}.runs").read_text().split()) == jobs, (
        "the tree was checked in as many copies as the mode says"
    )
    assert "aws_sns_topic.deeper" in raw and "deep/er/main.tf" in {f.file for f in report.findings}


PARTS = st.sampled_from(["..", ".", "x", "modules", ""])


@settings(max_examples=200, deadline=None)
@given(
    files=st.lists(
        st.tuples(
            st.lists(st.sampled_from(["a", "b"]), max_size=4),
            st.lists(st.lists(PARTS, min_size=1, max_size=8), max_size=3),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_no_local_source_walks_out_of_the_padded_copy(files: list[tuple[list[str], list[list[str]]]]) -> None:
    """Every prefix of every `source` walk, from its file's directory in the copy's image, stays
    inside the copy (checked with posixpath, not with the code under test)."""
    base = "/real/base"
    contents: dict[str, bytes] = {}
    for index, (directory, sources) in enumerate(files):
        text = "".join(f'module "m{i}" {{\n  source = "./{"/".join(parts)}"\n}}\n' for i, parts in enumerate(sources))
        contents[posixpath.join(base, *directory, f"f{index}.tf")] = text.encode()
    copy = "/tmp/copy"
    image = posixpath.join(copy, *([checkov_batches.PADDING_NAME] * checkov_batches.padding(contents, base)))
    for path, data in contents.items():
        here = posixpath.join(image, posixpath.relpath(posixpath.dirname(path), base))
        for source in groups_mod.local_sources(data):
            parts = source.split("/")
            for end in range(1, len(parts) + 1):
                reached = posixpath.normpath(posixpath.join(here, *parts[:end]))
                assert reached == copy or reached.startswith(copy + "/"), (source, path, reached)
