"""`tfgen validate --config FILE`: the settings from the file the user names, instead of the nearest one.

The user chose the file, so its paths may write anywhere; it is still data only: a setting that
runs a program is refused unless the user allowed those very bytes (`tfgen allow FILE`), as for a
repository's own file. Settings that weaken the verdict are shown in every report.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from support import in_process_cli
from support.validate import write_tree

FAILING = {"repo/main.tf": 'variable "db_password" {\n  default = "literal-password"\n}\n'}


def tfgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return in_process_cli.tfgen(*args, cwd=cwd, env={"XDG_CONFIG_HOME": str(cwd.parent / "user-config")})


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    write_tree(tmp_path, FAILING)
    repo = tmp_path / "repo"
    (repo / ".tfgen.toml").write_text('[validate]\n"skip-chekov" = true\n')  # broken: --config must not read it
    return repo


@pytest.mark.parametrize("form", ["--config", "--config="])
def test_the_named_file_replaces_the_nearest_one(repo: Path, form: str) -> None:
    (repo / "ci").mkdir()
    (repo / "ci" / "tfgen.toml").write_text(
        '[validate]\nskip-checkov = true\nformat = "json"\ncreate-baseline = "baseline.json"\n'
    )
    args = [f"{form}ci/tfgen.toml"] if form.endswith("=") else [form, "ci/tfgen.toml"]
    used = tfgen(repo, "validate", "--no-cache", *args)
    assert used.returncode == 0, used.stderr
    assert used.stderr.splitlines()[0] == "tfgen: settings from ci/tfgen.toml [validate]"
    assert json.loads((repo / "ci" / "baseline.json").read_text())["findings"][0]["id"] == "TFGEN_SECRETS_2"
    report = json.loads(used.stdout)
    assert {"key": "create-baseline", "value": "baseline.json", "file": "ci/tfgen.toml", "line": 4} in report[
        "settings"
    ]


def test_without_config_the_nearest_file_is_read(repo: Path) -> None:
    result = tfgen(repo, "validate", "--no-cache")
    assert result.returncode == 2 and "unknown key 'skip-chekov'" in result.stderr


def test_the_named_file_may_write_outside_its_directory(repo: Path, tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text('[validate]\nskip-checkov = true\noutput = "json=reports/r.json"\n')
    (tmp_path / "reports").mkdir()
    result = tfgen(repo, "validate", "--no-cache", "--config", "../settings.toml")
    assert result.returncode == 1, result.stderr
    assert json.loads((tmp_path / "reports" / "r.json").read_text())["summary"]["failed"] == 1


def test_the_named_file_runs_no_program_unless_allowed(repo: Path, tmp_path: Path) -> None:
    program = repo / "x"
    program.write_text(f"#!/bin/sh\ntouch {tmp_path / 'RAN'}\nexit 0\n")
    program.chmod(0o755)
    (tmp_path / "settings.toml").write_text('[validate]\ncheckov = "repo/x"\n')
    refused = tfgen(repo, "validate", "--no-cache", "--config", "../settings.toml")
    assert refused.returncode == 2 and not (tmp_path / "RAN").exists()
    assert refused.stderr.strip().splitlines()[-1] == (
        "tfgen: error: ../settings.toml:2: checkov runs a program ('../repo/x'); tfgen honours that only from a "
        "settings "
        "file you have allowed (read it, then run `tfgen allow ../settings.toml`), or from --checkov"
    )


def test_a_pyproject_named_reads_its_tool_tfgen_table(repo: Path) -> None:
    (repo / "ci").mkdir()
    (repo / "ci" / "pyproject.toml").write_text("[tool.tfgen.validate]\nskip-checkov = true\nsoft-fail = true\n")
    result = tfgen(repo, "validate", "--no-cache", "--config", "ci/pyproject.toml")
    assert result.returncode == 0, result.stderr
    assert (
        "weakened by settings: skip-checkov = true (ci/pyproject.toml:2), soft-fail = true (ci/pyproject.toml:3)"
        in result.stdout
    )


@pytest.mark.parametrize(
    ("setup", "error"),
    [
        (None, "tfgen: error: --config missing.toml: cannot read: No such file or directory"),
        ('[validate]\nconfig = "other.toml"\n', "tfgen: error: missing.toml:2: unknown key 'config' in [validate]"),
    ],
)
def test_a_missing_or_bad_named_file_is_one_line(repo: Path, setup: str | None, error: str) -> None:
    if setup is not None:
        (repo / "missing.toml").write_text(setup)
    result = tfgen(repo, "validate", "--no-cache", "--skip-checkov", "--config", "missing.toml")
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith(error), result.stderr
