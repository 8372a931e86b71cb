"""Bad input never crashes, never passes: binary, non-UTF-8, unreadable, FIFO, symlink loops, huge files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.validate import checkov_or_skip, write_tree
from typer.testing import CliRunner

from tfgen.cli import app
from tfgen.hcl import read as hclfile
from tfgen.validate import ValidateOptions, validate_paths

RESOURCE = 'resource "aws_sns_topic" "t" {\n  name = "t"\n}\n'
runner = CliRunner()


def only(report, file: str):
    found = [f for f in report.findings if f.file == file]
    assert found, f"no finding for {file}: {[(f.file, f.id) for f in report.findings]}"
    return found


def tfgen_only(path: Path):
    return validate_paths([str(path)], ValidateOptions(run_checkov=False))


def test_binary_file(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": RESOURCE, "blob.tf": b"\x00\x01\x02\xff binary"})
    report = tfgen_only(tmp_path)
    [finding] = only(report, "blob.tf")
    assert (finding.id, finding.status, finding.message) == (
        "TFGEN_READ",
        "failed",
        "binary file (NUL byte), not Terraform text",
    )
    assert report.exit_code == 1 and report.summary.errors == 1


def test_non_utf8_file(tmp_path: Path) -> None:
    write_tree(tmp_path, {"latin1.tf": b'locals {\n  x = "caf\xe9"\n}\n'})
    [finding] = only(tfgen_only(tmp_path), "latin1.tf")
    assert (finding.id, finding.line, finding.message) == ("TFGEN_READ", 2, "not valid UTF-8 (byte 0xe9)")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod 000 does not stop root (the test runner), so the read itself is made to fail."""
    write_tree(tmp_path, {"main.tf": RESOURCE, "secret.tf": RESOURCE})
    original = hclfile.read_regular  # the one read layer every scanned file goes through

    def read_regular(path: Path | str, limit: int, *, follow_symlinks: bool = True) -> bytes:
        if Path(path).name == "secret.tf":
            raise PermissionError(13, "Permission denied")
        return original(path, limit, follow_symlinks=follow_symlinks)

    monkeypatch.setattr(hclfile, "read_regular", read_regular)
    [finding] = only(tfgen_only(tmp_path), "secret.tf")
    assert (finding.id, finding.status, finding.message) == ("TFGEN_READ", "failed", "cannot read: Permission denied")


def test_fifo_is_never_opened(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": RESOURCE})
    os.mkfifo(tmp_path / "pipe.tf")
    [finding] = only(tfgen_only(tmp_path), "pipe.tf")
    assert (finding.id, finding.status, finding.message) == ("TFGEN_READ", "failed", "a FIFO, not a regular file")


def test_dangling_symlink(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": RESOURCE})
    os.symlink("missing.tf", tmp_path / "gone.tf")
    [finding] = only(tfgen_only(tmp_path), "gone.tf")
    assert finding.status == "failed" and finding.message == "dangling symlink to missing.tf"


def test_symlink_loops(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": RESOURCE, "sub/x.tf": RESOURCE})
    os.symlink("self.tf", tmp_path / "self.tf")
    os.symlink("..", tmp_path / "sub" / "up")
    os.symlink("b-loop", tmp_path / "a-loop")
    os.symlink("a-loop", tmp_path / "b-loop")
    report = tfgen_only(tmp_path)
    assert only(report, "self.tf")[0].message == "symlink loop: the link never resolves to a file"
    assert "points to an ancestor" in only(report, "sub/up")[0].message
    assert "never resolves" in only(report, "a-loop")[0].message
    assert all(f.status == "failed" for name in ("self.tf", "sub/up", "a-loop", "b-loop") for f in only(report, name))
    assert report.exit_code == 1


def test_huge_file_is_not_parsed(tmp_path: Path) -> None:
    line = 'locals {\n  padding = "0123456789012345678901234567890123456789"\n}\n'
    (tmp_path / "huge.tf").write_text(line * (10 * 1024 * 1024 // len(line) + 1))
    [finding] = only(tfgen_only(tmp_path), "huge.tf")
    assert finding.id == "TFGEN_READ" and finding.message.startswith("file too large to check (10.0 MiB")


def test_empty_directory_exits_2_with_require_files(tmp_path: Path) -> None:
    # without --require-files: exit 0 and a warning (tests/test_validate_empty_tree.py)
    result = runner.invoke(app, ["validate", str(tmp_path), "--skip-checkov", "--require-files"])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"tfgen: error: no Terraform files (.tf, .tfvars, .tf.json) under {tmp_path}"


@pytest.mark.checkov
def test_every_bad_input_at_once_with_real_checkov(tmp_path: Path) -> None:
    """checkov's secrets scanner blocks forever on a FIFO: tfgen keeps it (and huge files) away."""
    checkov_or_skip()
    write_tree(
        tmp_path,
        {
            "main.tf": RESOURCE,
            "blob.tf": b"\x00\x01binary",
            "latin1.tf": b'locals {\n  x = "\xe9"\n}\n',
            "notes/pipe-free.txt": "x",
        },
    )
    os.mkfifo(tmp_path / "pipe.tf")
    os.mkfifo(tmp_path / "notes" / "queue")  # not Terraform, but checkov would still open it
    os.symlink("self.tf", tmp_path / "self.tf")
    os.symlink("missing.tf", tmp_path / "gone.tf")
    line = 'locals {\n  padding = "0123456789012345678901234567890123456789"\n}\n'
    (tmp_path / "huge.tf").write_text(line * (10 * 1024 * 1024 // len(line) + 1))
    report = validate_paths([str(tmp_path)], ValidateOptions(checkov_timeout=300))
    assert report.checkov_ran
    for name in ("blob.tf", "latin1.tf", "pipe.tf", "self.tf", "gone.tf", "huge.tf"):
        assert any(f.status == "failed" and f.id == "TFGEN_READ" for f in only(report, name)), name
    assert any(f.engine == "checkov" for f in only(report, "main.tf")), "checkov still checked the readable file"
    assert report.exit_code == 1
    assert report.summary.errors == 6
