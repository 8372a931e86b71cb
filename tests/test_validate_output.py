"""Where `tfgen validate` writes its report: a full disk is exit 2, a scanned file is never overwritten."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.validate import ROOT, write_tree
from typer.testing import CliRunner

from tfgen.cli import app

runner = CliRunner()
FAILING = 'variable "db_password" {\n  default = "literal-password"\n}\n'


def run_cli(*args: str, stdout: int | None = subprocess.PIPE, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tfgen", "validate", "--skip-checkov", "--no-cache", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        timeout=120,
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("fmt", ["text", "json", "junit"])
def test_a_full_disk_on_stdout_is_exit_2(tmp_path: Path, fmt: str) -> None:
    """Exit 1 (what a traceback gives) reads as "findings" in CI: a report that was not written is exit 2."""
    write_tree(tmp_path, {"main.tf": FAILING})
    with open("/dev/full", "w") as full:
        result = run_cli(str(tmp_path), "--format", fmt, stdout=full.fileno())
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
    assert result.stderr.splitlines() == ["tfgen: error: cannot write the report to stdout: No space left on device"]


def test_a_full_disk_on_output_is_exit_2(tmp_path: Path) -> None:
    write_tree(tmp_path / "tree", {"main.tf": FAILING})
    os.symlink("/dev/full", tmp_path / "report.json")
    result = run_cli(str(tmp_path / "tree"), "--format", "json", "--output", str(tmp_path / "report.json"))
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.splitlines() == [
        f"tfgen: error: cannot write {tmp_path / 'report.json'}: No space left on device"
    ]


def spellings(tree: Path) -> list[str]:
    """The same scanned file named directly, through `..`, through a symlink and through a hard link."""
    os.symlink("main.tf", tree / "alias.tf.link")
    os.link(tree / "main.tf", tree.parent / "hardlink.tf")
    return [
        str(tree / "main.tf"),
        str(tree / "sub" / ".." / "main.tf"),
        str(tree / "alias.tf.link"),
        str(tree.parent / "hardlink.tf"),
        "main.tf",
        "./sub/../main.tf",
    ]


def test_output_naming_a_scanned_file_is_refused(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "tree", {"main.tf": FAILING, "sub/x.tf": FAILING})
    for output in spellings(tree):
        before = (tree / "main.tf").read_bytes()
        result = run_cli(".", "--format", "json", "--output", output, cwd=tree)
        assert result.returncode == 2, (output, result.stderr)
        assert result.stderr.splitlines() == [
            f"tfgen: error: --output {Path(output)}: is main.tf, a file being checked; write the report elsewhere"
        ], result.stderr
        assert (tree / "main.tf").read_bytes() == before, output
        assert result.stdout == ""


def test_output_beside_the_scanned_files_is_written(tmp_path: Path) -> None:
    """A report inside the tree (not a Terraform file) is fine, and a second run may overwrite it."""
    tree = write_tree(tmp_path / "tree", {"main.tf": FAILING})
    for _ in range(2):
        result = runner.invoke(
            app,
            [
                "validate",
                str(tree),
                "--skip-checkov",
                "--no-cache",
                "--format",
                "json",
                "--output",
                str(tree / "report.json"),
            ],
        )
        assert result.exit_code == 1, result.output
        assert '"TFGEN_SECRETS_2"' in (tree / "report.json").read_text()
