"""Help on every command: -h and --help, -v/--version, flag choices, no `<bool>` on flags, examples, completion.

Help text is the entry point's output whatever starts it, so it is read in this process; the version
and the completion script, which need a real `python -m tfgen` (shellingham looks for a parent shell),
run in a subprocess.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import subprocess_cli
from support.in_process_cli import tfgen

from tfgen import __version__

COMMANDS = [
    [],
    ["setup-checkov"],
    ["init"],
    ["validate"],
    ["schema"],
    ["list-checks"],
    ["explain"],
    ["migrate"],
    ["migrate", "proton"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "tfgen")
def test_every_command_has_short_help_without_bool_labels_and_with_examples(command: list[str], tmp_path: Path) -> None:
    short = tfgen(*command, "-h", cwd=tmp_path)
    long = tfgen(*command, "--help", cwd=tmp_path)
    assert short.returncode == 0 and long.returncode == 0, short.stderr
    assert short.stdout == long.stdout
    assert "-h, --help" in short.stdout
    assert "<bool>" not in short.stdout
    examples = short.stdout.split("Examples:\n", 1)[1].splitlines()
    assert examples and all(line.startswith("    tfgen ") for line in examples if line.strip()), short.stdout
    assert not any(line.endswith(" ") for line in short.stdout.splitlines())


def test_validate_help_shows_the_choices(tmp_path: Path) -> None:
    result = tfgen("validate", "-h", cwd=tmp_path)
    assert "-f, --format [text|json|sarif|junit|github|gitlab|checkstyle]" in result.stdout
    assert "--fail-on [low|medium|high|critical]" in result.stdout
    assert "--soft-fail " in result.stdout
    assert "--format [text|json|markdown]" in tfgen("list-checks", "-h", cwd=tmp_path).stdout


@pytest.mark.parametrize("flag", ["-v", "--version"])
def test_version(flag: str, tmp_path: Path) -> None:
    result = subprocess_cli.tfgen(flag, cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"tfgen {__version__}\n", "")


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_shell_completion_is_offered(tmp_path: Path) -> None:
    assert "--install-completion" in tfgen("-h", cwd=tmp_path).stdout
    # typer finds the user's shell among tfgen's parent processes (shellingham), as when a user types
    # it: run it from bash (two commands, so bash waits instead of handing its process to tfgen),
    # not from whatever started the tests (an orphaned runner has no shell above it).
    script = '"$0" -m tfgen --show-completion; status=$?; exit $status'
    result = subprocess.run(
        ["bash", "-c", script, sys.executable], cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0 and "complete" in result.stdout, result.stderr


@pytest.mark.parametrize(
    ("args", "choices"),
    [
        (["validate", ".", "--format", "xml"], "'text', 'json', 'sarif', 'junit', 'github', 'gitlab', 'checkstyle'"),
        (["validate", ".", "--fail-on", "severe"], "'low', 'medium', 'high', 'critical'"),
        (["list-checks", "--format", "xml"], "'text', 'json', 'markdown'"),
        (["explain", "TFGEN_IAM_1", "--format", "yaml"], "'text', 'json'"),
    ],
)
def test_a_wrong_choice_is_one_line_exit_2_naming_the_choices(args: list[str], choices: str, tmp_path: Path) -> None:
    result = tfgen(*args, cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert (
        len(result.stderr.splitlines()) == 1 and result.stderr.startswith("tfgen: error: ") and choices in result.stderr
    ), result.stderr
