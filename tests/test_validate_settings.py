"""`tfgen validate` reads `.tfgen.toml` / `[tool.tfgen]` in pyproject.toml: flags win, paths are the file's,
bad keys and types are one line naming the file and line (exit 2)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support import in_process_cli, toml_text
from support.validate import write_tree
from typer.testing import CliRunner

from tfgen.cli import app, validate
from tfgen.validate.settings import flags_of

FAILING = {"sub/main.tf": 'variable "db_password" {\n  default = "literal-password"\n}\n'}
ANY_VALUE = st.one_of(
    st.text(max_size=12),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.times(),
    st.lists(st.one_of(st.text(max_size=8), st.integers(), st.booleans()), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def tfgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return in_process_cli.tfgen("validate", "--no-cache", *args, cwd=cwd)


def test_a_parent_settings_file_sets_defaults_and_flags_win(tmp_path: Path) -> None:
    write_tree(tmp_path, FAILING)
    (tmp_path / ".tfgen.toml").write_text(
        '[validate]\nskip-checkov = true\nformat = "json"\nskip-check = ["TFGEN_SECRETS_1"]\n'
    )
    used = tfgen(tmp_path / "sub")
    assert used.returncode == 1, used.stderr
    assert used.stderr == "tfgen: settings from ../.tfgen.toml [validate]\n"
    ids = {f["id"] for f in json.loads(used.stdout)["findings"]}
    assert "TFGEN_SECRETS_2" in ids and "TFGEN_SECRETS_1" not in ids
    flagged = tfgen(tmp_path / "sub", "--format", "text", "--skip-check", "TFGEN_SECRETS_2")
    assert flagged.returncode == 0, flagged.stdout  # the flag replaced the file's list, and its format
    assert flagged.stdout.strip().splitlines()[-1].startswith("tfgen validate: PASSED")
    assert "TFGEN_SECRETS_1" not in flagged.stdout and "1 passed" in flagged.stdout


def test_without_a_settings_file_nothing_is_said(tmp_path: Path) -> None:
    write_tree(tmp_path, FAILING)
    run = tfgen(tmp_path / "sub", "--skip-checkov")
    assert run.returncode == 1 and run.stderr == ""


def test_pyproject_tool_tfgen_and_which_file_wins(tmp_path: Path) -> None:
    write_tree(tmp_path, FAILING)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.tfgen.validate]\nskip-checkov = true\nformat = "json"\n'
    )
    (tmp_path / "sub" / "pyproject.toml").write_text('[project]\nname = "no-tfgen-here"\n')  # passed over
    run = tfgen(tmp_path / "sub")
    assert (run.returncode, run.stderr) == (1, "tfgen: settings from ../pyproject.toml [tool.tfgen.validate]\n")
    assert json.loads(run.stdout)["checkov"]["ran"] is False
    (tmp_path / ".tfgen.toml").write_text("[validate]\nskip-checkov = true\n")  # beside it, .tfgen.toml wins
    run = tfgen(tmp_path / "sub")
    assert run.stderr == "tfgen: settings from ../.tfgen.toml [validate]\n"
    assert (
        run.stdout.strip().splitlines()[-1].startswith("tfgen validate: FAILED")
    )  # text: the pyproject's format is not merged in


def test_paths_are_relative_to_the_settings_file(tmp_path: Path) -> None:
    write_tree(tmp_path, FAILING)
    (tmp_path / ".tfgen.toml").write_text('[validate]\nskip-checkov = true\ncreate-baseline = "ci/baseline.json"\n')
    created = tfgen(tmp_path / "sub")
    assert created.returncode == 0, created.stderr
    assert json.loads((tmp_path / "ci" / "baseline.json").read_text())["findings"][0]["id"] == "TFGEN_SECRETS_2"
    (tmp_path / ".tfgen.toml").write_text(
        '[validate]\nskip-checkov = true\nbaseline = "ci/baseline.json"\noutput = "out/report.txt"\n'
    )
    (tmp_path / "out").mkdir()
    used = tfgen(tmp_path / "sub")
    assert used.returncode == 0, used.stderr
    summary = (tmp_path / "out" / "report.txt").read_text().strip().splitlines()[-1]
    assert "0 errors; weakened by settings: " in summary and 'baseline = "ci/baseline.json"' in summary
    assert not (tmp_path / "sub" / "ci").exists() and not (tmp_path / "sub" / "out").exists()


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            '[validate]\noutput = "never-written.txt"\n\n"skip-chekov" = true\n',
            ".tfgen.toml:4: unknown key 'skip-chekov' in [validate]; known: ",
        ),
        (
            '# settings\n[validate]\ncheckov-timeout = "10"\n',
            ".tfgen.toml:3: checkov-timeout must be a number, not string '10'",
        ),
        (
            "[validate]\nskip-check = [1]\n",
            ".tfgen.toml:2: skip-check must be a string (or a list of them), not integer 1",
        ),
        (
            "[validate]\nformat = 2026-01-01\n",
            ".tfgen.toml:2: format must be one of text, json, sarif, junit, github, gitlab, checkstyle, "
            "not date/time datetime.date(2026, 1, 1)",
        ),
        ("[validat]\nformat = 'json'\n", ".tfgen.toml:1: unknown table or key 'validat'; tfgen reads only [validate]"),
        ("validate = 1\n", ".tfgen.toml:1: validate must be a table"),
        ("[validate]\nformat = \n", ".tfgen.toml: invalid TOML: Invalid value (at line 2, column 10)"),
    ],
)
def test_bad_settings_are_one_line_naming_file_and_line(tmp_path: Path, text: str, error: str) -> None:
    write_tree(tmp_path, FAILING)
    (tmp_path / ".tfgen.toml").write_text(text)
    run = tfgen(tmp_path / "sub", "--skip-checkov")
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.startswith(f"tfgen: error: ../{error}") and run.stderr.count("\n") == 1, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tfgen.toml", "sub"], "nothing written"


def test_a_fifo_settings_file_is_refused_without_blocking(tmp_path: Path) -> None:
    write_tree(tmp_path, FAILING)
    os.mkfifo(tmp_path / ".tfgen.toml")
    run = tfgen(tmp_path / "sub", "--skip-checkov")
    assert (run.returncode, run.stderr) == (
        2,
        "tfgen: error: ../.tfgen.toml: not a regular file (FIFO, device or socket)\n",
    )


def test_every_long_flag_of_validate_is_a_key() -> None:
    keys = set(flags_of(validate))
    assert {"format", "skip-check", "check", "baseline", "create-baseline", "checkov-timeout", "skip-checkov"} <= keys
    import typer.main

    command = typer.main.get_command(app).commands["validate"]  # type: ignore[attr-defined]
    longs = {o[2:].split("/")[0] for p in command.params for o in getattr(p, "opts", []) if o.startswith("--")}
    assert keys == longs - {"help", "config", "setup-checkov"}  # not settings: see settings.NOT_SETTINGS


def _toml_type_fits(flag: Any, value: Any) -> bool:
    items = value if flag.multiple and isinstance(value, list) else [value]
    kind = flag.kind
    for item in items:
        if kind is bool:
            ok = isinstance(item, bool)
        elif kind in (int, float):
            ok = (
                isinstance(item, (int, float))
                and not isinstance(item, bool)
                and (kind is float or isinstance(item, int))
            )
        else:
            ok = isinstance(item, str)
        if not ok:
            return False
    return True


FLAGS = flags_of(validate)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(key=st.sampled_from(sorted(FLAGS)), value=ANY_VALUE)
@example(key="cache-dir", value="\x00")  # a path the OS refuses: a traceback
@example(key="baseline", value="a\x00b")  # a usage error under the flag's name, not the file's
def test_any_value_for_any_key_runs_or_is_one_line_naming_the_file(
    tmp_path_factory: pytest.TempPathFactory, key: str, value: Any
) -> None:
    work = tmp_path_factory.mktemp("settings")
    write_tree(work, FAILING)
    (work / ".tfgen.toml").write_text("[validate]\n" + toml_text.document({key: value}), encoding="utf-8")
    with contextlib.chdir(work / "sub"):
        result = CliRunner().invoke(app, ["validate", "--skip-checkov", "--no-cache"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    errors = [line for line in result.stderr.splitlines() if line.startswith("tfgen: error: ")]
    if not _toml_type_fits(FLAGS[key], value):
        assert (
            result.exit_code == 2 and errors and errors[0].startswith(f"tfgen: error: ../.tfgen.toml:2: {key} must be ")
        ), result.stderr
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code == 2:
        assert len(errors) == 1 and "Traceback" not in result.output, result.output
