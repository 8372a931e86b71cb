"""A file swapped between discovery and read is a TFGEN_READ finding, never a read outside or a hang.

Discovery stats every entry; the engine reads it later. Between the two, a regular file can be
replaced by a FIFO (a blocking reader would hang CI forever) or by a symlink leading outside the
PATHs (a following reader would read, and report, what it was never asked to). The swap happens
in a hook on the real `discover`, so the real read layer meets it.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support.validate import ROOT

from tfgen.validate import ValidateOptions, pipeline, validate_paths
from tfgen.validate.discover import Discovery
from tfgen.validate.report import Report

CASES = ROOT / "tests" / "cases" / "trust"
WAIT_LIMIT = 60.0  # only a hang waits this long
OUTSIDE_MARKER = "outside_marker_bucket"


def tree(base: Path) -> Path:
    """base/scan (the PATH: a passing main.tf and a secrets-scanned settings.yaml) and base/outside."""
    scan = base / "scan"
    scan.mkdir()
    (scan / "main.tf").write_text('terraform {\n  required_version = ">= 1.5"\n}\n')
    (scan / "settings.yaml").write_text("name: settings\n")
    outside = base / "outside"
    outside.mkdir()
    shutil.copy(CASES / "failing.tf", outside / "failing.tf")
    (outside / "failing.tf").write_text(
        (outside / "failing.tf").read_text() + f'\nresource "aws_s3_bucket" "{OUTSIDE_MARKER}" {{}}\n'
    )
    return scan


def swap_after_discovery(monkeypatch: pytest.MonkeyPatch, swap: Callable[[], None]) -> None:
    real = pipeline.discover

    def discover_then_swap(paths: list[str], limit: int, **options: Any) -> Discovery:
        found = real(paths, limit, **options)
        swap()
        return found

    monkeypatch.setattr(pipeline, "discover", discover_then_swap)


def run_without_hanging(scan: Path, fifo: Path | None) -> Report:
    result: list[Report | BaseException] = []

    def target() -> None:
        try:
            result.append(validate_paths([str(scan)], ValidateOptions(run_checkov=False)))
        except BaseException as exc:  # handed to the test thread
            result.append(exc)

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(WAIT_LIMIT)
    if worker.is_alive():
        if fifo is not None:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # let the blocked reader go
        pytest.fail(f"validate still reading after {WAIT_LIMIT:.0f} s: it blocked on {fifo}")
    assert result and isinstance(result[0], Report), result
    return result[0]


def replace_with_fifo(path: Path) -> Callable[[], None]:
    def swap() -> None:
        path.unlink()
        os.mkfifo(path)

    return swap


def replace_with_link_out(path: Path, target: Path) -> Callable[[], None]:
    def swap() -> None:
        path.unlink()
        os.symlink(target, path)

    return swap


@pytest.mark.parametrize("name", ["main.tf", "settings.yaml"])
@pytest.mark.parametrize("kind", ["fifo", "symlink-out"])
def test_a_file_swapped_after_discovery_is_a_read_finding(
    name: str, kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan = tree(tmp_path)
    swapped = scan / name
    if kind == "fifo":
        swap_after_discovery(monkeypatch, replace_with_fifo(swapped))
    else:
        swap_after_discovery(monkeypatch, replace_with_link_out(swapped, tmp_path / "outside" / "failing.tf"))
    report = run_without_hanging(scan, swapped if kind == "fifo" else None)
    read = [f for f in report.findings if f.id == "TFGEN_READ" and f.file == name]
    assert [f.status for f in read] == ["failed"], [f.to_json() for f in report.findings]
    assert report.exit_code == 1
    # what lies outside was never read: neither its secret nor its bucket reached a finding
    shown = repr([(f.to_json(), f.message) for f in report.findings])
    assert OUTSIDE_MARKER not in shown and "db_password" not in shown


def test_a_symlink_accepted_as_inside_is_still_read(tmp_path: Path) -> None:
    scan = tree(tmp_path)
    (scan / "real").mkdir()
    shutil.copy(CASES / "failing.tf", scan / "real" / "failing.tf")
    os.symlink("real/failing.tf", scan / "linked.tf")
    report = validate_paths([str(scan)], ValidateOptions(run_checkov=False))
    assert any(f.file == "linked.tf" and f.status == "failed" for f in report.findings), [
        f.to_json() for f in report.findings
    ]
    assert not [f for f in report.findings if f.id == "TFGEN_READ"]
