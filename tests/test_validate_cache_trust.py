"""A cache that cannot be forged: entries are HMAC'd under a key that never lives in the cache.

Whoever can write the cache directory (a restored CI cache, a shared disk) can rewrite an
entry and recompute any checksum in it, or move a passing tree's entry onto a failing tree's
key. Neither may change a verdict: such entries are ignored with a warning and recomputed.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support.validate import write_tree
from typer.testing import CliRunner

from tfgen.cli import app

runner = CliRunner()
FAILING = 'variable "db_password" {\n  default = "literal-password"\n}\n'
PASSING = 'variable "region" {\n  type = string\n}\n'
ANSWERS = [
    "--non-interactive",
    "--account-id",
    "123456789012",
    "--region",
    "eu-west-1",
    "--name",
    "acme",
    "--skip-checkov",
]


def tree(base: Path, text: str) -> Path:
    return write_tree(base, {"main.tf": text})


def validate(path: Path, cache_dir: Path):
    return runner.invoke(app, ["validate", str(path), "--skip-checkov", "--cache-dir", str(cache_dir)])


def entries(cache_dir: Path, namespace: str) -> set[Path]:
    return {p for p in cache_dir.glob(f"v*/{namespace}/*/*.json")}


def forge(path: Path, change: Any) -> None:
    """What anyone who can write the cache can do: rewrite the payload, recompute the checksum."""
    header, _, data = path.read_bytes().partition(b"\n")
    magic = header[: header.rindex(b" ") + 1]
    value = change(json.loads(data))
    data = json.dumps(value, separators=(",", ":")).encode()
    path.write_bytes(magic + hashlib.sha256(data).hexdigest().encode() + b"\n" + data)


def all_passed(value: dict[str, Any]) -> dict[str, Any]:
    for finding in value["findings"]:
        finding["status"] = "passed"
    return {**value, "errors": 0}


def test_a_forged_entry_does_not_pass_a_failing_tree(tmp_path: Path) -> None:
    scan, cache_dir = tree(tmp_path / "tree", FAILING), tmp_path / "cache"
    assert validate(scan, cache_dir).exit_code == 1
    groups = entries(cache_dir, "group")
    assert groups
    for path in groups:
        forge(path, all_passed)
    result = validate(scan, cache_dir)
    assert result.exit_code == 1, result.output
    assert "TFGEN_SECRETS_2" in result.stdout
    assert (
        "tfgen: warning: ignored 1 corrupted cache entry" in result.stderr
        and "not signed with this cache key" in result.stderr
    )


def test_a_passing_trees_entry_moved_onto_a_failing_trees_key_is_refused(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    failing, passing = tree(tmp_path / "failing", FAILING), tree(tmp_path / "passing", PASSING)
    assert validate(failing, cache_dir).exit_code == 1
    [failing_entry] = entries(cache_dir, "group")
    assert validate(passing, cache_dir).exit_code == 0
    [passing_entry] = entries(cache_dir, "group") - {failing_entry}
    failing_entry.write_bytes(passing_entry.read_bytes())  # a genuine entry, under the wrong key
    result = validate(failing, cache_dir)
    assert result.exit_code == 1, result.output
    assert "corrupted cache entry" in result.stderr


def test_init_parse_cache_entries_are_authenticated_too(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    first = runner.invoke(app, ["init", *ANSWERS, "--out", str(tmp_path / "a"), "--cache-dir", str(cache_dir)])
    assert first.exit_code == 0, first.output
    parses = entries(cache_dir, "parse")
    assert parses
    for path in parses:
        forge(path, lambda value: {**value, "data": {}})  # "this file holds nothing"
    second = runner.invoke(app, ["init", *ANSWERS, "--out", str(tmp_path / "b"), "--cache-dir", str(cache_dir)])
    assert second.exit_code == 0, second.output
    assert f"ignored {len(parses)} corrupted cache entries" in second.stderr
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())


def test_the_key_lives_outside_the_cache_private_to_the_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    scan, cache_dir = tree(tmp_path / "tree", FAILING), tmp_path / "cache"
    assert validate(scan, cache_dir).exit_code == 1
    key_file = tmp_path / "config" / "tfgen" / "cache-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) == 64
    assert not [p for p in cache_dir.rglob("*") if p.is_file() and key_file.read_bytes().strip() in p.read_bytes()]
    again = validate(scan, cache_dir)
    assert again.exit_code == 1 and again.stderr == "", "the same key verifies its own entries"

    key_file.chmod(0o644)  # readable by others: whoever reads it could forge entries
    before = {p: p.read_bytes() for p in cache_dir.rglob("*.json")}
    result = validate(scan, cache_dir)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"tfgen: warning: the cache in {cache_dir} was not used: the cache key file {key_file} is not private to you "
        "(mode 644): chmod 600 it, or delete it to have a new one made"
    ]
    assert {p: p.read_bytes() for p in cache_dir.rglob("*.json")} == before


def test_a_key_file_inside_the_cache_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(cache_dir / "config"))
    result = validate(tree(tmp_path / "tree", FAILING), cache_dir)
    assert result.exit_code == 1
    assert "is inside the cache directory" in result.stderr
    assert not list(cache_dir.rglob("*.json")), "nothing cached without a key kept apart"


def test_a_run_without_the_ci_key_is_cold_not_wrong(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scan, cache_dir = tree(tmp_path / "tree", FAILING), tmp_path / "cache"
    monkeypatch.setenv("TFGEN_CACHE_KEY", "the CI secret, long and random enough: 6f1d0c")
    assert validate(scan, cache_dir).exit_code == 1
    assert validate(scan, cache_dir).stderr == ""
    monkeypatch.delenv("TFGEN_CACHE_KEY")  # e.g. a pull request from a fork: no secrets
    result = validate(scan, cache_dir)
    assert result.exit_code == 1
    assert "corrupted cache entr" in result.stderr


def test_a_short_ci_key_is_refused_like_a_short_key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A short secret is guessable, so entries under it could be forged: the cache is not used."""
    scan, cache_dir = tree(tmp_path / "tree", FAILING), tmp_path / "cache"
    monkeypatch.setenv("TFGEN_CACHE_KEY", "x" * 31)
    result = validate(scan, cache_dir)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"tfgen: warning: the cache in {cache_dir} was not used: $TFGEN_CACHE_KEY holds fewer than 32 characters, "
        "as guessable as no key; set it to a long random secret (e.g. `openssl rand -hex 32`)"
    ]
    assert not list(cache_dir.rglob("*.json")), "nothing cached under a guessable key"
    monkeypatch.setenv("TFGEN_CACHE_KEY", "x" * 32)
    assert validate(scan, cache_dir).stderr == ""


def test_a_fifo_in_the_cache_does_not_hang(tmp_path: Path) -> None:
    scan, cache_dir = tree(tmp_path / "tree", FAILING), tmp_path / "cache"
    assert validate(scan, cache_dir).exit_code == 1
    planted = sorted(p for p in cache_dir.rglob("*.json"))
    for path in planted:
        path.unlink()
        os.mkfifo(path)
    result = subprocess.run(
        [sys.executable, "-m", "tfgen", "validate", str(scan), "--skip-checkov", "--cache-dir", str(cache_dir)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "TFGEN_SECRETS_2" in result.stdout
    assert "cannot read the cache" in result.stderr and "not a regular file" in result.stderr
    assert all(p.is_file() for p in planted), "each FIFO was replaced by a fresh entry"


def test_entries_of_the_unauthenticated_format_are_removed(tmp_path: Path) -> None:
    scan, cache_dir = tree(tmp_path / "tree", FAILING), tmp_path / "cache"
    old = cache_dir / "v1" / "group" / "ab" / ("ab" * 32 + ".json")
    old.parent.mkdir(parents=True)
    old.write_bytes(b"tfgen-cache/1 0000\n{}")
    assert validate(scan, cache_dir).exit_code == 1
    assert not (cache_dir / "v1").exists(), "format 1 entries can never be read again: pruned"
