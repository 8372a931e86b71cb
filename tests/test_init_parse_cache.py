"""`tfgen init` proves its render through validate's parse cache: reused, still checked, never trusted blindly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from support.init_tree import files, init

from tfgen.cache import store as cache
from tfgen.init.render import answer_paths


def parse_entries(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / f"v{cache.FORMAT}" / "parse").rglob("*.json"))


def _turn_off_encryption(value: Any) -> tuple[Any, int]:
    """`value` with every `encrypt` set to false, and how many were changed."""
    if isinstance(value, dict):
        changed = 0
        out = {}
        for key, item in value.items():
            if key == "encrypt" and item in (True, "true"):
                out[key] = False if item is True else "false"
                changed += 1
            else:
                out[key], n = _turn_off_encryption(item)
                changed += n
        return out, changed
    if isinstance(value, list):
        pairs = [_turn_off_encryption(v) for v in value]
        return [v for v, _ in pairs], sum(n for _, n in pairs)
    return value, 0


def test_the_render_is_parsed_once_then_read_back(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    assert init(tmp_path / "a", "--force", cache=cache_dir)[0] == 0
    entries = parse_entries(cache_dir)
    # the HCL files whose bytes depend on the answers: backend.tf, variables.tf, terraform.tfvars.example,
    # and main.tf, providers.tf, outputs.tf (the regional services' module calls, aliases and outputs)
    assert len(entries) == len([p for p in answer_paths() if p.endswith((".tf", ".tfvars.example"))]) == 6
    # a parse is stored by writing a new file and renaming it over the key: a new inode
    inodes = {p: p.stat().st_ino for p in entries}
    assert init(tmp_path / "b", "--force", cache=cache_dir)[0] == 0
    assert parse_entries(cache_dir) == entries
    assert {p: p.stat().st_ino for p in entries} == inodes  # read back, none parsed and stored again
    assert files(tmp_path / "a") == files(tmp_path / "b")


def test_cached_parses_are_still_compared_with_the_blueprint(tmp_path: Path) -> None:
    """A cache entry that says the state is not encrypted fails the proof: the cache feeds it, never skips it."""
    cache_dir = tmp_path / "cache"
    assert init(tmp_path / "first", "--force", cache=cache_dir)[0] == 0
    poisoned = 0
    store = cache.Cache(cache_dir)  # with the key: an authentic entry that holds a wrong parse
    for path in parse_entries(cache_dir):
        value = store.decode_entry("parse", path.stem, path.read_bytes())
        value, changed = _turn_off_encryption(value)
        if changed:
            path.write_bytes(store.encode_entry("parse", path.stem, value))
            poisoned += changed
    assert poisoned
    code, output = init(tmp_path / "second", "--force", cache=cache_dir)
    assert code != 0
    assert "backend.tf terraform: backend.s3.encrypt is false, expected true" in output
    assert not (tmp_path / "second").exists()


def test_a_corrupted_entry_is_reparsed_with_a_warning(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    assert init(tmp_path / "a", "--force", cache=cache_dir)[0] == 0
    for path in parse_entries(cache_dir):
        path.write_bytes(path.read_bytes()[:-7] + b"garbage")
    code, output = init(tmp_path / "b", "--force", cache=cache_dir)
    assert code == 0, output
    assert "corrupted cache entr" in output
    assert files(tmp_path / "a") == files(tmp_path / "b")
    for path in parse_entries(cache_dir):
        cache.Cache(cache_dir).decode_entry(
            "parse", path.stem, path.read_bytes()
        )  # each entry is parsed again and rewritten whole


def test_an_unwritable_cache_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory would go\n")
    code, output = init(tmp_path / "out", "--force", cache=blocker)
    assert code == 0, output
    assert "cannot write the cache" in output
    assert (tmp_path / "out" / "main.tf").is_file()


def test_no_cache_writes_no_entries(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    assert init(tmp_path / "out", "--force", "--no-cache", cache=cache_dir)[0] == 0
    assert not cache_dir.exists()
