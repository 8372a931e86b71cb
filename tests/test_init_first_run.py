"""A first `tfgen init --skip-checkov` does only init's work: no module only other commands use.

What it costs is measured by bench/run.py (never here: no timed asserts); these tests keep the
work it no longer does from coming back, and prove the cheaper option conversion is typer's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from support.init_tree import ANSWERS, files

from tfgen import cli

# Each was imported by a first init before; none is needed by it.
NOT_NEEDED = (
    "pydantic",
    "typer._adapters",
    "tfgen.checkov.env",
    "tfgen.validate",
    "tomllib",
    "importlib.resources",
    "argparse",
)

_RUN = """
import sys
sys.argv = ["tfgen", *sys.argv[1:]]
from tfgen.cli import main
try:
    main()
finally:
    print(" ".join(sorted(sys.modules)), file=sys.stderr)
"""


def test_a_first_init_imports_nothing_only_other_commands_use(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _RUN,
            "init",
            "--non-interactive",
            "--skip-checkov",
            *ANSWERS,
            "--out",
            str(out),
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    assert "every file parsed back and matched its blueprint" in done.stdout
    imported = set(done.stderr.split())
    assert [m for m in NOT_NEEDED if m in imported] == []
    assert "modules/kms/main.tf" in files(out)


def _param(name: str) -> Any:
    command = typer.main.get_command(cli.app)
    init = command.commands["init"]  # type: ignore[attr-defined]
    return next(p for p in init.params if p.name == name), typer.Context(init)


@settings(max_examples=60, deadline=None)
@given(
    value=st.one_of(st.text(), st.sampled_from(["", "-", ".", "~/x", "a b", "\udcff", "x/../y", "/"])),
    option=st.sampled_from(["out", "config_file", "account_id", "checkov", "force"]),
)
def test_option_values_convert_as_typers_own_converter_does(value: str, option: str) -> None:
    param, ctx = _param(option)
    ours = cli_build()(param.type_descriptor)
    typers = cli_build().typer_build(param.type_descriptor)
    given_value: object = (value == "") if option == "force" else value  # a flag's value is a bool
    assert _outcome(ours, given_value, param, ctx) == _outcome(typers, given_value, param, ctx)


def cli_build() -> Any:
    from typer import core

    return core.build_runtime_param


def _outcome(runtime: Any, value: object, param: Any, ctx: Any) -> tuple[str, object]:
    try:
        converted = runtime.coerce(value, param=param, ctx=ctx)
    except Exception as exc:  # the same error, or the same value, from both
        return type(exc).__name__, str(exc)
    return type(converted).__name__, converted
