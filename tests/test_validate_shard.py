"""`--shard I/N`: deterministic, disjoint, and the union of the N reports is the unsharded report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.speed_tree import comparable, one_run_reference, write_speed_tree
from typer.testing import CliRunner

from tfgen.cli import app
from tfgen.errors import UsageError
from tfgen.validate import ValidateOptions, validate_paths
from tfgen.validate import shard as shard_mod

runner = CliRunner()


def shards_union(scan: Path, base: Path, count: int, **options: object) -> tuple[list[str], int, int]:
    findings: list[str] = []
    files = errors = 0
    for index in range(1, count + 1):
        report = validate_paths([str(scan)], ValidateOptions(shard=(index, count), **options))  # type: ignore[arg-type]
        findings.extend(comparable(report, base))
        files += report.summary.files
        errors += report.summary.errors
    return sorted(findings), files, errors


def test_parse() -> None:
    assert shard_mod.parse("2/4") == (2, 4) and shard_mod.parse(" 1 / 1 ") == (1, 1)
    for bad in ("0/2", "3/2", "1/0", "2", "a/b", ""):
        with pytest.raises(UsageError):
            shard_mod.parse(bad)


def test_bad_shard_exits_2(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('variable "a" {}\n')
    result = runner.invoke(app, ["validate", "--skip-checkov", "--shard", "3/2", str(tmp_path)])
    assert result.exit_code == 2 and "--shard" in result.stderr


@pytest.mark.parametrize(
    "value", ["1/99999999999999999999", "1/" + "9" * 5000, "99999999999999999999/99999999999999999999", "\u0661/\u0662"]
)
def test_huge_or_odd_shard_numbers_exit_2_without_a_traceback(tmp_path: Path, value: str) -> None:
    """Shard numbers past any machine integer, 5000 digits long or in other scripts' digits: one line, exit 2."""
    (tmp_path / "main.tf").write_text('variable "a" {}\n')
    result = runner.invoke(app, ["validate", "--skip-checkov", "--no-cache", "--shard", value, str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("tfgen: error: --shard") and len(result.stderr.splitlines()) == 1, result.stderr


def test_the_largest_shard_count_works(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('variable "a" {}\n')
    runs = [
        runner.invoke(
            app,
            [
                "validate",
                "--skip-checkov",
                "--no-cache",
                "--format",
                "json",
                "--shard",
                f"{i}/{shard_mod.MAX_SHARDS}",
                str(tmp_path),
            ],
        )
        for i in (1, shard_mod.MAX_SHARDS)
    ]
    assert [r.exit_code for r in runs] == [0, 0], [r.output for r in runs]


def test_union_of_shards_equals_the_unsharded_run_without_checkov(tmp_path: Path) -> None:
    scan = write_speed_tree(tmp_path)
    (scan / "live" / "dangling.tf").symlink_to(tmp_path / "gone.tf")  # unreadable: outside every group
    os.mkfifo(scan / "config" / "pipe.tf")
    whole = validate_paths([str(scan)], ValidateOptions(run_checkov=False))
    for count in (1, 2, 3, 7):
        union, files, errors = shards_union(scan, tmp_path, count, run_checkov=False)
        assert union == comparable(whole, tmp_path), count
        assert (files, errors) == (whole.summary.files, whole.summary.errors)
    # deterministic: the same shard twice is the same report
    first = validate_paths([str(scan)], ValidateOptions(run_checkov=False, shard=(2, 3)))
    second = validate_paths([str(scan)], ValidateOptions(run_checkov=False, shard=(2, 3)))
    assert comparable(first, tmp_path) == comparable(second, tmp_path) and first.shard == [2, 3]


@pytest.mark.checkov
def test_union_of_shards_equals_the_unsharded_run_with_checkov(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    reference = one_run_reference(tmp_path_factory)
    union, files, errors = shards_union(write_speed_tree(tmp_path), tmp_path, 2, checkov_jobs=1, checkov_timeout=300)
    assert union == reference["findings"]
    assert (files, errors) == (reference["files"], reference["errors"])


def test_each_shard_uploads_sarif_under_its_own_category(tmp_path: Path) -> None:
    """Code scanning keeps one analysis per category: shards sharing `tfgen-validate/` overwrote each other."""
    import json

    scan = write_speed_tree(tmp_path)
    ids = []
    for args in (["--shard", "1/3"], ["--shard", "2/3"], ["--shard", "3/3"], []):
        result = runner.invoke(app, ["validate", "--skip-checkov", "--no-cache", "--format", "sarif", *args, str(scan)])
        assert result.exit_code in (0, 1), result.output
        [run] = json.loads(result.stdout)["runs"]
        ids.append(run["automationDetails"]["id"])
    assert ids == [
        "tfgen-validate/shard-1-of-3/",
        "tfgen-validate/shard-2-of-3/",
        "tfgen-validate/shard-3-of-3/",
        "tfgen-validate/",
    ]
