"""The cache: cached and uncached runs give identical findings; an unchanged group is never parsed
or scanned again; a damaged or unwritable cache costs a full run and a warning, never a verdict."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest
from support.in_process_cli import tfgen
from support.speed_tree import comparable, one_run_reference, record_checkov_batches, write_speed_tree
from typer.testing import CliRunner

from tfgen.cache.store import Cache
from tfgen.checkov import run as checkov_run
from tfgen.cli import app
from tfgen.hcl import parsing
from tfgen.validate import ValidateOptions, checkov_batches, validate_paths

runner = CliRunner()


def entries(cache_dir: Path) -> list[Path]:
    return sorted(p for p in cache_dir.rglob("*.json") if not p.name.startswith("."))


def forbid(monkeypatch: pytest.MonkeyPatch, *what: str) -> None:
    """Make parsing and/or starting checkov fail the test if they happen."""

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("answered from the cache, so this must not run")

    if "parse" in what:
        monkeypatch.setattr(parsing, "parse_to_json", boom)
    if "checkov" in what:
        monkeypatch.setattr(checkov_batches, "start", boom)
        monkeypatch.setattr(checkov_run, "start", boom)


def test_entries_round_trip_and_damage_is_detected(tmp_path: Path) -> None:
    value = {"a": [1, "é", None, True]}
    store = Cache(tmp_path)
    raw = store.encode_entry("x", "ab" * 32, value)
    assert store.decode_entry("x", "ab" * 32, raw) == value
    for damaged in (raw[:-3], raw.replace(b"1", b"2"), b"{}", raw[:10]):
        with pytest.raises(ValueError):
            store.decode_entry("x", "ab" * 32, damaged)
    for namespace, key in (("y", "ab" * 32), ("x", "cd" * 32)):  # a genuine entry under another name
        with pytest.raises(ValueError):
            store.decode_entry(namespace, key, raw)
    with pytest.raises(ValueError):  # the same entry under another key
        Cache(tmp_path, secret=b"another key").decode_entry("x", "ab" * 32, raw)
    store.put("x", "ab" * 32, value)
    assert store.get("x", "ab" * 32) == value and store.warnings() == []


def test_entries_unused_for_a_month_are_pruned_at_most_daily(tmp_path: Path) -> None:
    store = Cache(tmp_path)
    store.put("x", "aa" * 32, 1)
    store.put("x", "bb" * 32, 2)
    old = time.time() - 40 * 86400
    os.utime(store._path("x", "aa" * 32), (old, old))
    os.utime(store._path("x", "bb" * 32), (old, old))
    assert store.get("x", "bb" * 32) == 2  # a hit keeps an entry alive
    assert store.prune() == 1 and store.get("x", "aa" * 32) is None and store.get("x", "bb" * 32) == 2
    os.utime(store._path("x", "bb" * 32), (old, old))
    assert store.prune() == 0  # pruned less than a day ago


def test_identical_files_are_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "versions.tf").write_text('terraform {\n  required_version = ">= 1.5"\n}\n')
    (tmp_path / "c" / "broken.tf").write_text("resource {\n")
    calls: list[str] = []
    real = parsing.parse_to_json

    def counting(item):  # type: ignore[no-untyped-def]
        calls.append(item[1])
        return real(item)

    monkeypatch.setattr(parsing, "parse_to_json", counting)
    report = validate_paths([str(tmp_path)], ValidateOptions(run_checkov=False))
    assert len(calls) == 2 and report.summary.errors == 1 and report.summary.files == 4


def test_parse_cache_equals_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scan = write_speed_tree(tmp_path / "tree")
    options = ValidateOptions(run_checkov=False, cache_dir=tmp_path / "cache")
    uncached = validate_paths([str(scan)], ValidateOptions(run_checkov=False))
    cold = validate_paths([str(scan)], options)
    assert entries(tmp_path / "cache")
    forbid(monkeypatch, "parse")
    warm = validate_paths([str(scan)], options)
    base = tmp_path / "tree"
    assert comparable(uncached, base) == comparable(cold, base) == comparable(warm, base)
    assert warm.summary.errors == uncached.summary.errors == 1  # the syntax error is cached like any other result


@pytest.mark.checkov
def test_cached_and_uncached_runs_give_identical_findings(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = one_run_reference(tmp_path_factory)
    scan = write_speed_tree(tmp_path)
    cache_dir = tmp_path / "cache"
    # a run without checkov first: its entries must not answer a run with checkov
    validate_paths([str(scan)], ValidateOptions(run_checkov=False, cache_dir=cache_dir))
    cold = validate_paths([str(scan)], ValidateOptions(cache_dir=cache_dir, checkov_timeout=300))
    assert comparable(cold, tmp_path) == reference["findings"]
    with monkeypatch.context() as patch:
        forbid(patch, "parse", "checkov")
        warm = validate_paths([str(scan)], ValidateOptions(cache_dir=cache_dir))
    assert comparable(warm, tmp_path) == reference["findings"]
    assert warm.checkov_ran and warm.checkov_version == cold.checkov_version and warm.warnings == []

    # edit one file: only its group is parsed and scanned again
    (scan / "live" / "c" / "main.tf").write_text(
        (scan / "live" / "c" / "main.tf").read_text().replace("AES256", "aws:kms")
    )
    with monkeypatch.context() as patch:
        started = record_checkov_batches(patch)
        edited = validate_paths([str(scan)], ValidateOptions(cache_dir=cache_dir, checkov_timeout=300))
    assert started == [["live/c"]]
    uncached = validate_paths([str(scan)], ValidateOptions(checkov_jobs=1, checkov_timeout=300))
    assert comparable(edited, tmp_path) == comparable(uncached, tmp_path) != reference["findings"]


@pytest.mark.checkov
def test_a_corrupted_cache_is_recomputed_with_a_warning(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    reference = one_run_reference(tmp_path_factory)
    scan = write_speed_tree(tmp_path)
    cache_dir = tmp_path / "cache"
    validate_paths([str(scan)], ValidateOptions(cache_dir=cache_dir, checkov_timeout=300))
    damaged = entries(cache_dir)
    for i, path in enumerate(damaged):
        raw = path.read_bytes()
        if i % 3 == 0:
            path.write_bytes(raw[: len(raw) // 2])  # truncated
        elif i % 3 == 1:
            middle = len(raw) // 2
            path.write_bytes(raw[:middle] + bytes([raw[middle] ^ 1]) + raw[middle + 1 :])  # one bit flipped
        else:  # well-formed entry of the wrong shape (e.g. written by another tool)
            wrong_shape = {"findings": [{"id": "CKV_AWS_7", "status": "passed"}], "errors": 0}
            path.write_bytes(Cache(cache_dir).encode_entry(path.parent.parent.name, path.stem, wrong_shape))
    report = validate_paths([str(scan)], ValidateOptions(cache_dir=cache_dir, checkov_timeout=300))
    assert comparable(report, tmp_path) == reference["findings"]
    assert any("corrupted cache" in w for w in report.warnings)
    again = validate_paths([str(scan)], ValidateOptions(cache_dir=cache_dir, run_checkov=False))
    assert again.warnings == []  # the damaged entries were rewritten


def test_an_unwritable_cache_is_a_warning_not_a_verdict(tmp_path: Path) -> None:
    scan = write_speed_tree(tmp_path / "tree")
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    report = validate_paths([str(scan)], ValidateOptions(run_checkov=False, cache_dir=blocker / "cache"))
    uncached = validate_paths([str(scan)], ValidateOptions(run_checkov=False))
    assert comparable(report, tmp_path) == comparable(uncached, tmp_path)
    assert report.exit_code == uncached.exit_code == 1
    assert any("cannot write the cache" in w for w in report.warnings)


def test_cli_default_cache_home_no_cache_and_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scan = write_speed_tree(tmp_path / "tree")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    result = runner.invoke(app, ["validate", "--skip-checkov", "--no-cache", "--format", "json", str(scan)])
    assert result.exit_code == 1 and not (tmp_path / "xdg").exists()
    result = runner.invoke(app, ["validate", "--skip-checkov", "--format", "json", str(scan)])
    assert result.exit_code == 1 and entries(tmp_path / "xdg" / "tfgen")
    assert "warnings" not in json.loads(result.stdout)
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = runner.invoke(app, ["validate", "--skip-checkov", "--cache-dir", str(blocker), str(scan)])
    assert result.exit_code == 1 and "tfgen: warning: cannot write the cache" in result.stderr


def test_a_file_name_that_is_not_utf8_is_cached_with_the_same_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scan = write_speed_tree(tmp_path / "tree")
    # a name Linux allows and UTF-8 cannot decode: Python holds it as a lone surrogate (\udcff)
    odd = Path(os.fsdecode(bytes(scan / "live" / "c") + b"/bad\xff.tf"))
    odd.write_text('resource "aws_s3_bucket" "odd" {\n  bucket = "odd"\n}\n')
    options = ValidateOptions(run_checkov=False, cache_dir=tmp_path / "cache")
    uncached = validate_paths([str(scan)], ValidateOptions(run_checkov=False))
    cold = validate_paths([str(scan)], options)
    assert (
        cold.warnings == [] and capsys.readouterr().err == ""
    )  # no "tfgen: internal: cannot cache a group entry: ..."
    assert any("bad\\udcff.tf" in path.read_text() for path in entries(tmp_path / "cache")), (
        "the odd file's group is cached"
    )
    forbid(monkeypatch, "parse")
    warm = validate_paths([str(scan)], options)
    base = tmp_path / "tree"
    assert any("\\udcff" in line for line in comparable(uncached, base)), "the odd file has a finding of its own"
    assert comparable(uncached, base) == comparable(cold, base) == comparable(warm, base)
    assert warm.warnings == [] and warm.exit_code == uncached.exit_code


def test_a_warm_runs_json_report_is_the_cold_runs_byte_for_byte(tmp_path: Path) -> None:
    """A warm run writes the cache's answers into the JSON report while checkov would run
    (`pipeline.render_ahead`): the same bytes as a cold run's, a baseline's skips included."""
    scan = write_speed_tree(tmp_path)
    baseline = tmp_path / "baseline.json"
    run = ("validate", str(scan), "-f", "json", "--skip-checkov", "--cache-dir", str(tmp_path / "cache"))
    created = tfgen(*run, "--create-baseline", str(baseline), cwd=tmp_path)
    assert created.returncode in (0, 1), created.stderr
    reports = []
    for cache in (("--no-cache",), ()):
        for flags in ((), ("--baseline", str(baseline))):
            result = tfgen(*run, *flags, *cache, cwd=tmp_path)
            assert result.returncode in (0, 1), result.stderr
            reports.append(re.sub(r'"duration_seconds": [0-9.]+', "", result.stdout))
    cold, cold_baselined, warm, warm_baselined = reports
    assert warm == cold and warm_baselined == cold_baselined != cold
    assert '"baselined": true' in warm_baselined
