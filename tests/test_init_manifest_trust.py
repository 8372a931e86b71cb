"""`tfgen init` never trusts `.tfgen/manifest.json` to point outside `--out`.

Every manifest path must be relative, normalised, inside `--out` and free of symlink
components; anything else is one line and exit 2, and nothing is read for a verdict, written
or deleted. A sentinel file outside `--out` proves it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.in_process_cli import one_error_line
from support.init_tree import MANIFEST, files, init, tree

SENTINEL = b"not tfgen's: a file outside --out\n"
SENTINEL_SHA = hashlib.sha256(SENTINEL).hexdigest()


def _rendered(tmp_path: Path) -> tuple[Path, Path]:
    """A rendered tree at tmp/work/out and a sentinel at tmp/work/sentinel.txt."""
    work = tmp_path / "work"
    out = work / "out"
    assert init(out)[0] == 0
    (work / "sentinel.txt").write_bytes(SENTINEL)
    return out, work / "sentinel.txt"


def _add_entries(out: Path, entries: dict[str, Any]) -> None:
    document = json.loads((out / MANIFEST).read_text())
    document["files"].update(entries)
    (out / MANIFEST).write_text(json.dumps(document))


@pytest.mark.parametrize("style", ["dotdot", "absolute", "dot-dotdot", "double-slash-absolute"])
def test_manifest_entry_outside_out_is_refused_and_nothing_is_deleted(tmp_path: Path, style: str) -> None:
    out, sentinel = _rendered(tmp_path)
    entry = {
        "dotdot": "../sentinel.txt",
        "absolute": str(sentinel),
        "dot-dotdot": "./modules/../../sentinel.txt",
        "double-slash-absolute": "/" + str(sentinel),
    }[style]
    _add_entries(out, {entry: SENTINEL_SHA})
    before = tree(tmp_path)
    code, output = init(out)
    assert code == 2, output
    line = one_error_line(output)
    assert MANIFEST in line and "outside" in line
    assert sentinel.read_bytes() == SENTINEL
    assert tree(tmp_path) == before


def test_check_gives_the_same_verdict_whatever_a_file_outside_holds(tmp_path: Path) -> None:
    """`--check` with the sentinel's sha and with a wrong sha: no oracle for another file's content."""
    out, _ = _rendered(tmp_path)
    _add_entries(out, {"../sentinel.txt": SENTINEL_SHA})
    matching = init(out, "--check")
    _add_entries(out, {"../sentinel.txt": "0" * 64})
    other = init(out, "--check")
    assert matching[0] == other[0] == 2
    assert "(removed)" not in matching[1]
    assert matching[1].replace(SENTINEL_SHA, "") == other[1].replace("0" * 64, "")


def test_manifest_entry_through_a_symlinked_directory_is_refused(tmp_path: Path) -> None:
    out, sentinel = _rendered(tmp_path)
    (out / "vendor").symlink_to(sentinel.parent)
    _add_entries(out, {"vendor/sentinel.txt": SENTINEL_SHA})
    before = tree(tmp_path)
    code, output = init(out)
    assert code == 2, output
    assert "vendor" in one_error_line(output)
    assert tree(tmp_path) == before


def test_a_symlinked_manifest_directory_is_not_read(tmp_path: Path) -> None:
    """`.tfgen -> elsewhere`: the manifest (and its answers) would come from outside --out."""
    out, _ = _rendered(tmp_path)
    elsewhere = tmp_path / "work" / "elsewhere"
    shutil.move(str(out / ".tfgen"), elsewhere)
    (out / ".tfgen").symlink_to(elsewhere)
    before = tree(tmp_path)
    code, output = init(out)
    assert code == 2, output
    assert ".tfgen" in one_error_line(output) and "symlink" in output
    assert tree(tmp_path) == before


@pytest.mark.parametrize("value", [5, None, ["x"], {"sha": "y"}, "not-a-sha"])
def test_manifest_hash_that_is_not_a_sha256_is_refused(tmp_path: Path, value: Any) -> None:
    out, _ = _rendered(tmp_path)
    _add_entries(out, {"main.tf": value})
    before = tree(tmp_path)
    code, output = init(out)
    assert code == 2, output
    assert MANIFEST in one_error_line(output)
    assert tree(tmp_path) == before


# --- the property: any JSON the manifest could hold ------------------------------------------

_SEGMENTS = st.sampled_from(
    [
        "..",
        ".",
        "",
        "modules",
        "kms",
        "main.tf",
        "sentinel.txt",
        "link",
        "a\\b",
        "..\\x",
        "nul\x00byte",
        "ünï",
        "\u202e",
        " ",
        "~",
        ".tfgen",
        "manifest.json",
        "C:",
    ]
)
# Paths that reach the sentinel (ABS is replaced with the example's absolute directory).
_ESCAPES = st.sampled_from(
    [
        "../sentinel.txt",
        "link/sentinel.txt",
        "ABS/sentinel.txt",
        "/ABS/sentinel.txt",
        "ABS//sentinel.txt",
        "modules/../../sentinel.txt",
        "./../sentinel.txt",
        "..\\sentinel.txt",
        "link/./sentinel.txt",
    ]
)
_PATHS = st.one_of(
    _ESCAPES,
    st.lists(_SEGMENTS, min_size=1, max_size=5).map("/".join),
    st.lists(_SEGMENTS, min_size=1, max_size=4).map(lambda parts: "/" + "/".join(parts)),
    st.text(max_size=20),
)
_HASHES = st.one_of(
    st.just(SENTINEL_SHA),
    st.just(SENTINEL_SHA),
    st.just("0" * 64),
    st.text(max_size=70),
    st.integers(),
    st.none(),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
    st.floats(allow_nan=False),
)
_FILES = st.one_of(
    st.dictionaries(_PATHS, _HASHES, max_size=6),
    st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.text(max_size=5), max_size=3)),
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template")
    assert init(root / "out")[0] == 0
    return root / "out"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=_FILES, check=st.booleans())
def test_any_manifest_either_stays_inside_out_or_exits_2(
    template: Path, tmp_path: Path, entries: Any, check: bool
) -> None:
    work = tmp_path / "example"
    shutil.rmtree(work, ignore_errors=True)
    out = work / "out"
    shutil.copytree(template, out, symlinks=True)
    (work / "sentinel.txt").write_bytes(SENTINEL)
    (out / "link").symlink_to(work)  # a symlink component that leads to the sentinel
    document = json.loads((out / MANIFEST).read_text())
    if isinstance(entries, dict):
        document["files"].update({path.replace("ABS", str(work)): value for path, value in entries.items()})
    else:
        document["files"] = entries
    (out / MANIFEST).write_text(json.dumps(document))
    generated = files(template)
    before = tree(work)

    code, output = init(out, *(["--check"] if check else []))

    after = tree(work)
    assert after["sentinel.txt"] == before["sentinel.txt"]
    assert {k: v for k, v in after.items() if not k.startswith("out/")} == {
        k: v for k, v in before.items() if not k.startswith("out/")
    }
    assert "Traceback" not in output
    assert SENTINEL_SHA not in output and "sentinel.txt (removed)" not in output
    if code == 2 or check:
        if code == 2:
            one_error_line(output)
        assert after == before
        return
    assert code == 0, output
    # Proceeded: only tfgen's files changed, each now exactly what tfgen renders.
    for rel in set(after) | set(before):
        if after.get(rel) != before.get(rel):
            assert rel.startswith("out/") and rel[len("out/") :] in generated, rel
            assert files(work).get(rel) == generated[rel[len("out/") :]], rel
    assert os.path.islink(out / "link")
