"""Where `tfgen validate` writes its report: a full disk is exit 2, a scanned file is never overwritten."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import in_process_cli
from support.validate import ROOT, write_tree
from typer.testing import CliRunner

from tfgen.cli import app

runner = CliRunner()
FAILING = 'variable "db_password" {\n  default = "literal-password"\n}\n'


def run_cli(*args: str, stdout: int | None = subprocess.PIPE, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """`python -m tfgen validate`: for what the process's own stdout, a hang or its stack decide."""
    return subprocess.run(
        [sys.executable, "-m", "tfgen", "validate", "--skip-checkov", "--no-cache", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The same command through the entry point in this process."""
    return in_process_cli.tfgen("validate", "--skip-checkov", "--no-cache", *args, cwd=cwd)


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
    result = run(str(tmp_path / "tree"), "--format", "json", "--output", str(tmp_path / "report.json"))
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
        result = run(".", "--format", "json", "--output", output, cwd=tree)
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


def test_output_naming_the_baseline_or_the_settings_file_is_refused(tmp_path: Path) -> None:
    """The report never overwrites what the run reads to judge (the baseline, the settings) or writes (new baseline)."""
    tree = write_tree(tmp_path / "tree", {"main.tf": FAILING})
    baseline = tmp_path / "baseline.json"
    baseline.write_text('{"findings": []}\n')
    settings = tree / ".tfgen.toml"
    settings.write_text("[validate]\nskip-checkov = true\n")
    cases = [
        (["--baseline", str(baseline)], str(baseline), "the baseline"),
        (["--baseline", str(baseline)], str(tmp_path / "sub" / ".." / "baseline.json"), "the baseline"),
        (["--create-baseline", str(tmp_path / "new.json")], str(tmp_path / "new.json"), "the baseline being created"),
        ([], ".tfgen.toml", "the settings file in use"),
    ]
    for flags, output, what in cases:
        before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
        result = run(".", *flags, "--output", output, cwd=tree)
        assert result.returncode == 2, (output, result.stderr)
        errors = [line for line in result.stderr.splitlines() if line.startswith("tfgen: error:")]
        assert errors == [f"tfgen: error: --output {Path(output)}: is {what}; write the report elsewhere"], (
            result.stderr
        )
        assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before, output


def test_output_on_a_fifo_without_a_reader_does_not_block(tmp_path: Path) -> None:
    write_tree(tmp_path / "tree", {"main.tf": FAILING})
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    result = run_cli(str(tmp_path / "tree"), "--output", str(fifo))  # run_cli's timeout: a hang fails the test
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"tfgen: error: cannot write {fifo}: a FIFO with no reader; start its reader first or write to a file"
    ], result.stderr


def test_a_baseline_nested_100000_deep_is_one_line(tmp_path: Path) -> None:
    write_tree(tmp_path / "tree", {"main.tf": FAILING})
    baseline = tmp_path / "baseline.json"
    baseline.write_text('{"findings": ' + "[" * 100_000 + "]" * 100_000 + "}")
    result = run_cli(str(tmp_path / "tree"), "--baseline", str(baseline))
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"tfgen: error: {baseline} is not a tfgen baseline (JSON nested too deeply to read)"
    ], result.stderr
