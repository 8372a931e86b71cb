"""A bad value in a settings or answers file is one line naming the file, the line and the key: exit 2.

`tfgen init --config FILE` (answers), `tfgen validate --config FILE`, the nearest `.tfgen.toml` and
`pyproject.toml`'s `[tool.tfgen.validate]`: a value of the wrong type, or of the right type that the
flag refuses (`shard = "x"`), names where it was written, not only the flag it stands for, and
nothing is written.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support import in_process_cli
from support.validate import write_tree

TREE = {"main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n'}


def tfgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return in_process_cli.tfgen(*args, cwd=cwd, env={"XDG_CONFIG_HOME": str(cwd / "user-config")})


def one_error(result: subprocess.CompletedProcess[str]) -> str:
    """The run's one error line (a settings file in use is announced first), after exit 2."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if not line.startswith("tfgen: settings from ")]
    assert len(lines) == 1 and lines[0].startswith("tfgen: error: "), result.stderr
    return lines[0].removeprefix("tfgen: error: ")


INIT_ANSWERS = [
    ('account_id = 3\nregion = "eu-west-1"\n', "answers.toml:1: account_id: must be a string, not 3"),
    ('region = "eu-west-1"\naccess_analyzer = "maybe"\n', "answers.toml:2: access_analyzer: must be true or false"),
    ('region = "eu-west-1"\n\nregions = 3\n', "answers.toml:3: regions: must be a list of strings"),
    ('region = "eu-west-1"\n\n[tags]\nteam = 3\n', "answers.toml:3: tags: must be a table of string keys"),
    ('region = "eu-west-1"\nlog_retention_days = 36.5\n', "answers.toml:2: log_retention_days: must be a whole"),
]


@pytest.mark.parametrize(("answers", "expected"), INIT_ANSWERS)
def test_init_names_the_answers_file_and_line(tmp_path: Path, answers: str, expected: str) -> None:
    (tmp_path / "answers.toml").write_text(answers)
    result = tfgen(
        tmp_path,
        "init",
        "--non-interactive",
        "--account-id",
        "123456789012",
        "--name",
        "acme",
        "--config",
        "answers.toml",
        "--out",
        "out",
    )
    assert one_error(result).startswith(expected)
    assert not (tmp_path / "out").exists()


# (the settings, the start of the error after `FILE:LINE: `)
VALIDATE_SETTINGS = [
    ("fail-on = 3", "fail-on must be one of low, medium, high, critical, not integer 3"),
    ('skip-check = ["CKV_AWS_18", 3]', "skip-check must be a string (or a list of them), not integer 3"),
    ('shard = "x"', "--shard must look like I/N (e.g. 1/4)"),
    ('shard = "3/2"', "--shard 3/2: I must be between 1 and N"),
    ("checkov-timeout = -1", "--checkov-timeout: -1 is not a positive number of seconds"),
    ('check = "TFGEN_IAM_99"', "--check: unknown check id 'TFGEN_IAM_99'"),
    ('skip-check = ["CKV_AWS_18", "CKV_AWS_9999"]', "--skip-check: unknown check id 'CKV_AWS_9999'"),
    ('output = ["json=a.json", "sarif="]', "--output sarif=: no path after '='"),
]


@pytest.mark.parametrize(("setting", "expected"), VALIDATE_SETTINGS)
def test_validate_config_names_the_file_and_line(tmp_path: Path, setting: str, expected: str) -> None:
    write_tree(tmp_path, TREE)
    (tmp_path / "ci.toml").write_text(f"# settings for CI\n[validate]\nskip-checkov = true\n{setting}\n")
    result = tfgen(tmp_path, "validate", "--no-cache", "--config", "ci.toml", ".")
    assert one_error(result).startswith(f"ci.toml:4: {expected}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ci.toml", "main.tf"]


@pytest.mark.parametrize(
    ("name", "table"), [(".tfgen.toml", "[validate]"), ("pyproject.toml", "[tool.tfgen.validate]")]
)
@pytest.mark.parametrize(("setting", "expected"), [VALIDATE_SETTINGS[0], VALIDATE_SETTINGS[2], VALIDATE_SETTINGS[5]])
def test_the_nearest_settings_file_is_named_too(
    tmp_path: Path, name: str, table: str, setting: str, expected: str
) -> None:
    write_tree(tmp_path, {f"infra/{k}": v for k, v in TREE.items()})
    head = '[project]\nname = "x"\n' if name == "pyproject.toml" else "# the repository's settings\n\n"
    (tmp_path / name).write_text(f"{head}\n{table}\n{setting}\n")
    result = tfgen(tmp_path / "infra", "validate", "--no-cache", "--skip-checkov", ".")
    assert one_error(result).startswith(f"../{name}:5: {expected}")
