"""Bad answers: one line naming the field, exit 2, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfgen.cli import app

GOOD = {"--account-id": "123456789012", "--region": "eu-west-1", "--name": "acme"}


def run(out: Path, flags: dict[str, str], *extra: str) -> tuple[int, str]:
    args = ["init", "--non-interactive", "--skip-checkov", "--out", str(out)]
    for flag, value in flags.items():
        args += [flag, value]
    result = CliRunner().invoke(app, [*args, *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("flag", "value", "field"),
    [
        ("--account-id", "12345678901", "account_id"),
        ("--account-id", "12345678901a", "account_id"),
        ("--region", "eu-west1", "region"),
        ("--region", "mars-north-1", "region"),
        ("--name", "Acme", "name"),
        ("--name", "ac", "name"),
        ("--name", "a-very-long-name-prefix", "name"),
        ("--name", "acme-", "name"),
        ("--name", "ac--me", "name"),
        ("--name", "acme_prod", "name"),
    ],
)
def test_bad_flag_values_name_the_field(tmp_path: Path, flag: str, value: str, field: str) -> None:
    out = tmp_path / "out"
    code, output = run(out, {**GOOD, flag: value})
    assert code == 2
    assert output.startswith(f"tfgen: error: {field}:")
    assert len(output.strip().splitlines()) == 1
    assert "Traceback" not in output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("toml", "field"),
    [
        ('key_administrator_arns = ["arn:aws:iam::123456789012:user/alice"]', "key_administrator_arns"),
        ('key_user_arns = ["arn:aws:iam::12345:role/app"]', "key_user_arns"),
        ('key_user_arns = ["arn:aws-cn:iam::123456789012:role/app"]', "key_user_arns"),
        ("log_retention_days = 366", "log_retention_days"),
        ("log_retention_days = 30", "log_retention_days"),
        ('log_retention_days = "a year"', "log_retention_days"),
        ("noncurrent_version_retention_days = 0", "noncurrent_version_retention_days"),
        ("noncurrent_version_retention_days = 4000", "noncurrent_version_retention_days"),
        ('enable_s3_data_events = "maybe"', "enable_s3_data_events"),
        ('environment_account_ids = ["1234"]', "environment_account_ids"),
        ('provisioned_services = ["ECS!"]', "provisioned_services"),
        ('secret_names = ["has space"]', "secret_names"),
        ('state_key = "/absolute/key"', "state_key"),
        ('tags = { "aws:reserved" = "x" }', "tags"),
    ],
)
def test_bad_config_values_name_the_field(tmp_path: Path, toml: str, field: str) -> None:
    config = tmp_path / "answers.toml"
    config.write_text(toml + "\n")
    out = tmp_path / "out"
    code, output = run(out, GOOD, "--config", str(config))
    assert code == 2
    assert output.startswith(f"tfgen: error: {field}:"), output
    assert not out.exists()


@pytest.mark.parametrize(
    ("toml", "field", "kind"),
    [
        ('tags = { owner = "AKIAIOSFODNN7EXAMPLE" }', "tags.owner", "access key"),
        ('secret_names = ["ghp_abcdefghijklmnopqrstuvwxyz0123456789"]', "secret_names", "token"),
        ('tags = { note = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }', "tags.note", "secret"),
    ],
)
def test_credential_looking_values_are_refused(tmp_path: Path, toml: str, field: str, kind: str) -> None:
    config = tmp_path / "answers.toml"
    config.write_text(toml + "\n")
    out = tmp_path / "out"
    code, output = run(out, GOOD, "--config", str(config))
    assert code == 2
    assert output.startswith(f"tfgen: error: {field}:")
    assert "credential" in output and kind in output.lower()
    assert not out.exists()


def test_password_in_a_tag_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "answers.toml"
    config.write_text('tags = { db_password = "hunter2hunter2" }\n')
    code, output = run(tmp_path / "out", GOOD, "--config", str(config))
    assert code == 2 and "tags.db_password" in output


def test_missing_answers_without_a_terminal(tmp_path: Path) -> None:
    code, output = run(tmp_path / "out", {"--region": "eu-west-1"})
    assert code == 2
    assert "--account-id" in output and "--name" in output


def test_unknown_config_key_and_malformed_toml(tmp_path: Path) -> None:
    config = tmp_path / "answers.toml"
    config.write_text("log_retention = 365\n")
    code, output = run(tmp_path / "out", GOOD, "--config", str(config))
    assert code == 2 and "unknown setting(s) log_retention" in output

    config.write_text("name = \n")
    code, output = run(tmp_path / "out", GOOD, "--config", str(config))
    assert code == 2 and "invalid TOML" in output and "line 1" in output

    config.write_bytes(b'name = "caf\xe9"\n')
    code, output = run(tmp_path / "out", GOOD, "--config", str(config))
    assert code == 2 and "answers.toml:1: not valid UTF-8" in output
    assert not (tmp_path / "out").exists()


def test_unwritable_out_leaves_the_disk_as_it_was(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a directory should be\n")
    code, output = run(blocker / "out", GOOD)
    assert code == 2
    assert "--out" in output and ("cannot write" in output or "not a directory" in output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-dir"]
    assert blocker.read_text() == "a file where a directory should be\n"


def test_unknown_flag_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["init", "--acount-id", "123456789012"])
    assert result.exit_code == 2
