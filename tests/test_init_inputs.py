"""Bad answers: one line naming the field, exit 2, and nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfgen.cli import app
from tfgen.init.config import MAX_CONFIG_BYTES

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
    assert output.startswith(f"tfgen: error: {config}:1: {field}:"), output  # the file and line it is written on
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
    assert output.startswith(f"tfgen: error: {config}:1: {field}:")
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


# --- every answer checked in full, keys like values -------------------------------------------


def _run_toml(tmp_path: Path, toml: str) -> tuple[int, str]:
    config = tmp_path / "answers.toml"
    config.write_text(toml + "\n", encoding="utf-8")
    return run(tmp_path / "out", GOOD, "--config", str(config))


@pytest.mark.parametrize(
    ("toml", "field"),
    [
        # `$` also matches before a final newline: every pattern must match the whole value.
        ('environment_account_ids = ["123456789012\\n"]', "environment_account_ids"),
        ('key_user_arns = ["arn:aws:iam::123456789012:role/app\\n"]', "key_user_arns"),
        ('provisioned_services = ["ecs\\n"]', "provisioned_services"),
        ('secret_names = ["proton/token\\n"]', "secret_names"),
        ('secure_parameter_names = ["/app/db\\n"]', "secure_parameter_names"),
        ('tags = { "Team\\n" = "x" }', "tags"),
        # `\w` and str.isdigit() are Unicode-wide: role names and numbers are ASCII.
        ('key_user_arns = ["arn:aws:iam::123456789012:role/dévé"]', "key_user_arns"),
        ('key_administrator_arns = ["arn:aws:iam::123456789012:role/١٢٣"]', "key_administrator_arns"),
        ('log_retention_days = "²"', "log_retention_days"),
        ('log_retention_days = "٣٦٥"', "log_retention_days"),  # Arabic-Indic 365: int() reads it
        ('noncurrent_version_retention_days = "９０"', "noncurrent_version_retention_days"),
        ('log_retention_days = "' + "9" * 5000 + '"', "log_retention_days"),  # int() refuses > 4300 digits
        ("log_retention_days = " + "9" * 400, "log_retention_days"),
        ("noncurrent_version_retention_days = -" + "9" * 400, "noncurrent_version_retention_days"),
        # Terraform reads strings in Unicode NFC: "e" + U+0301 would reach AWS as "é".
        ('tags = { Team = "cafe\\u0301" }', "tags.Team"),
        ('tags = { Team = "bell\\u0007" }', "tags.Team"),
        ('tags = { "Tëam" = "x" }', "tags"),
    ],
)
def test_values_are_matched_whole_and_in_ascii(tmp_path: Path, toml: str, field: str) -> None:
    code, output = _run_toml(tmp_path, toml)
    assert code == 2, output
    assert output.startswith(f"tfgen: error: {tmp_path / 'answers.toml'}:1: {field}: ") and output.count("\n") == 1, (
        output
    )
    assert "Traceback" not in output and len(output) < 600
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("toml", "secret"),
    [
        ('tags = { AKIAIOSFODNN7EXAMPLE = "x" }', "AKIAIOSFODNN7EXAMPLE"),
        ('tags = { "ghp_abcdefghijklmnopqrstuvwxyz0123456789" = "owner" }', "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
        ('log_retention_days = "AKIAIOSFODNN7EXAMPLE"', "AKIAIOSFODNN7EXAMPLE"),
        (
            'enable_s3_data_events = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ),
        ('state_key = "AKIAIOSFODNN7EXAMPLE/"', "AKIAIOSFODNN7EXAMPLE"),
    ],
)
def test_credential_shaped_keys_and_values_are_refused_and_never_echoed(tmp_path: Path, toml: str, secret: str) -> None:
    field = toml.split(" ", 1)[0]
    code, output = _run_toml(tmp_path, toml)
    assert code == 2, output
    assert output.startswith(f"tfgen: error: {tmp_path / 'answers.toml'}:1: {field}: ") and "credential" in output, (
        output
    )
    assert secret not in output and secret[:12] not in output
    assert not (tmp_path / "out").exists()


def test_long_values_are_shown_shortened_on_one_line(tmp_path: Path) -> None:
    code, output = _run_toml(tmp_path, 'state_key = "' + "x" * 100_000 + '\\nsecond line"')
    where = f"{tmp_path / 'answers.toml'}:1: "
    assert code == 2 and output.startswith(f"tfgen: error: {where}state_key: ") and output.count("\n") == 1, output[
        :300
    ]
    assert len(output) < 600 + len(where)


@pytest.mark.parametrize(
    "toml",
    [
        "a = " + "[" * 5000,  # tomllib recurses per level: RecursionError
        "log_retention_days = " + "[" * 5000 + "]" * 5000,
        "tags = " + "{ a = " * 3000 + "1" + " }" * 3000,
        "log_retention_days = " + "9" * 5000,  # tomllib's int() refuses > 4300 digits: ValueError
    ],
)
def test_toml_the_reader_cannot_hold_is_one_line_naming_the_file(tmp_path: Path, toml: str) -> None:
    code, output = _run_toml(tmp_path, toml)
    assert code == 2, output
    assert output.startswith(f"tfgen: error: {tmp_path / 'answers.toml'}") and output.count("\n") == 1, output[:2000]
    assert not (tmp_path / "out").exists()


def test_unknown_keys_are_named_on_one_line(tmp_path: Path) -> None:
    code, output = _run_toml(tmp_path, '"log\\nretention" = 1')
    assert code == 2 and "unknown setting(s) 'log\\nretention'" in output and output.count("\n") == 1, output


def _init_subprocess(tmp_path: Path, config: str) -> subprocess.CompletedProcess[str]:
    # A subprocess, not CliRunner: a hang must end this test (the timeout is a guard, not an assert).
    args = [
        sys.executable,
        "-m",
        "tfgen",
        "init",
        "--non-interactive",
        "--skip-checkov",
        "--no-cache",
        "--out",
        str(tmp_path / "out"),
    ]
    for flag, value in GOOD.items():
        args += [flag, value]
    return subprocess.run(
        [*args, "--config", config], capture_output=True, text=True, timeout=120, check=False, stdin=subprocess.DEVNULL
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_as_config_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "answers.toml"
    os.mkfifo(fifo)
    result = _init_subprocess(tmp_path, str(fifo))
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"tfgen: error: --config {fifo}: not a regular file (FIFO, device or socket)\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom"])
def test_a_device_as_config_is_refused_without_reading_it(tmp_path: Path, special: str) -> None:
    if not Path(special).exists():
        pytest.skip(f"{special} does not exist here")
    result = _init_subprocess(tmp_path, special)
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr == f"tfgen: error: --config {special}: not a regular file (FIFO, device or socket)\n"


def test_a_directory_or_an_oversized_file_as_config_is_refused(tmp_path: Path) -> None:
    result = _init_subprocess(tmp_path, str(tmp_path))
    assert (result.returncode, result.stderr) == (2, f"tfgen: error: --config {tmp_path}: a directory\n")
    big = tmp_path / "big.toml"
    with big.open("wb") as handle:  # sparse: no disk is used for the hole
        handle.truncate(MAX_CONFIG_BYTES + 1)
    result = _init_subprocess(tmp_path, str(big))
    assert (result.returncode, result.stderr) == (
        2,
        f"tfgen: error: --config {big}: larger than {MAX_CONFIG_BYTES} bytes\n",
    )
    assert not (tmp_path / "out").exists()
