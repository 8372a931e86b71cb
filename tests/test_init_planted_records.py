"""`tfgen init` and `migrate` finish or roll back only what they themselves staged.

A `.tfgen/txn/` intent record can arrive with a cloned repository or an unpacked archive. Before
recovery removes or replaces anything, every entry is checked against what tfgen owns: a file it
replaces or removes is one the manifest on disk records (a removed one with that very hash), every
file it writes is one the staged manifest records with that hash, and the staged manifest records
nothing tfgen would not write. A record naming anything else is one line, exit 2, and nothing in
the tree changes. A Proton bundle's own `.tfgen/` is never copied as module files.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from support.in_process_cli import one_error_line
from support.init_tree import MANIFEST, init, tree
from typer.testing import CliRunner

from tfgen.cli import app

USERS = "terraform.tfstate"
USERS_BYTES = b'{"version": 4, "serial": 7, "resources": ["the team\'s state"]}\n'
ENV_BUNDLE = Path(__file__).resolve().parent / "proton_bundles" / "env_network" / "v1"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _rendered(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    assert init(out)[0] == 0
    (out / USERS).write_bytes(USERS_BYTES)
    (out / "users.tf").write_text('resource "null_resource" "mine" {}\n')
    return out


def _plant(out: Path, write: dict[str, bytes], remove: dict[str, bytes], manifest_entries: dict[str, str]) -> None:
    """An intent record as tfgen writes one, with staged files, naming what the attacker chose."""
    txn = out / ".tfgen/txn"
    staged_manifest = json.loads((out / MANIFEST).read_text())
    staged_manifest["files"].update(manifest_entries)
    for rel, data in write.items():
        # The staged manifest keeps each rendered file's text beside its hash, as a real render does.
        if rel in staged_manifest.get("rendered", {}):
            staged_manifest["rendered"][rel] = data.decode().split("\n")
    write = {**write, MANIFEST: json.dumps(staged_manifest).encode()}
    for rel, data in write.items():
        (txn / "new" / rel).parent.mkdir(parents=True, exist_ok=True)
        (txn / "new" / rel).write_bytes(data)
    on_disk = {rel: (out / rel).read_bytes() if (out / rel).exists() else None for rel in write}
    record = {
        "tool": "tfgen",
        "write": {
            rel: {"old": None if on_disk[rel] is None else _sha(on_disk[rel]), "new": _sha(data)}  # type: ignore[arg-type]
            for rel, data in write.items()
        },
        "remove": {rel: _sha(data) for rel, data in remove.items()},
    }
    (txn / "intent.json").write_text(json.dumps(record))


PLANTS = {
    # the user's state replaced by the attacker's
    "replace-users-file": lambda: ({USERS: b"{}\n"}, {}, {USERS: _sha(b"{}\n")}),
    # the user's state and own .tf removed
    "remove-users-files": lambda: ({}, {USERS: USERS_BYTES, "users.tf": b""}, {}),
    # the user's state adopted into the staged manifest, so the next re-render removes it as stale
    "adopt-users-file": lambda: ({}, {}, {USERS: _sha(USERS_BYTES)}),
    # a staged file the staged manifest does not record
    "unrecorded-write": lambda: ({"extra.tf": b"# planted\n"}, {}, {}),
}


@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_a_planted_intent_record_is_refused_and_nothing_is_touched(tmp_path: Path, plant: str) -> None:
    out = _rendered(tmp_path)
    write, remove, entries = PLANTS[plant]()
    if "users.tf" in remove:
        remove["users.tf"] = (out / "users.tf").read_bytes()
    _plant(out, write, remove, entries)
    before = tree(tmp_path)
    code, output = init(out)
    assert code == 2, output
    line = one_error_line(output)
    assert ".tfgen/txn/intent.json" in line and "tfgen did not stage" in line, line
    assert tree(tmp_path) == before
    assert (out / USERS).read_bytes() == USERS_BYTES


def test_a_genuine_interrupted_render_is_still_finished(tmp_path: Path) -> None:
    """The check costs nothing to a real interruption: an intent record tfgen would write is finished."""
    out = _rendered(tmp_path)
    ours = "variables.tf"
    new_bytes = (out / ours).read_bytes() + b"# the re-render\n"
    _plant(out, {ours: new_bytes}, {}, {ours: _sha(new_bytes)})
    code, output = init(out)
    assert code == 0, output
    assert "finished an interrupted tfgen init" in output
    assert (out / USERS).read_bytes() == USERS_BYTES
    assert not (out / ".tfgen/txn").exists()


def test_a_bundles_own_tfgen_directory_is_never_copied(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(ENV_BUNDLE, bundle)
    planted = bundle / "infrastructure/.tfgen"
    (planted / "txn/new").mkdir(parents=True)
    (planted / "txn/intent.json").write_text('{"tool": "tfgen", "write": {}, "remove": {}}')
    (planted / "manifest.json").write_text('{"tool": "tfgen", "files": {"terraform.tfstate": "' + "0" * 64 + '"}}')
    (bundle / "infrastructure/modules/.tfgen").mkdir(parents=True)
    (bundle / "infrastructure/modules/.tfgen/notes.tf").write_text("# planted\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["migrate", "proton", str(bundle), "--out", str(out), "--skip-checkov"])
    assert result.exit_code in (0, 1), result.output
    assert not (out / ".tfgen/txn").exists()
    assert [p.relative_to(out).as_posix() for p in out.rglob("*") if ".tfgen" in p.parts] == [".tfgen", MANIFEST]
    recorded = json.loads((out / MANIFEST).read_text())["files"]
    assert not [rel for rel in recorded if ".tfgen" in rel.split("/")], recorded
