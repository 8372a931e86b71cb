"""Re-running `tfgen init`: identical output, untouched files, protected edits, drift detection."""

from __future__ import annotations

import json
from pathlib import Path

from support.init_tree import files, init

from tfgen.init import blueprint_model


def test_two_renders_of_the_same_answers_are_byte_identical(tmp_path: Path) -> None:
    assert init(tmp_path / "a")[0] == 0
    assert init(tmp_path / "b")[0] == 0
    first, second = files(tmp_path / "a"), files(tmp_path / "b")
    assert first == second
    assert {
        "versions.tf",
        "providers.tf",
        "backend.tf",
        "main.tf",
        "variables.tf",
        "outputs.tf",
        "README.md",
        "terraform.tfvars.example",
        ".tfgen/manifest.json",
    } <= set(first)
    for module in blueprint_model.MODULES:
        for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"):
            assert f"modules/{module}/{name}" in first
    assert all(data.endswith(b"\n") for data in first.values())


def test_manifest_records_answers_and_a_hash_of_every_file(tmp_path: Path) -> None:
    init(tmp_path)
    document = json.loads((tmp_path / ".tfgen/manifest.json").read_text())
    assert document["inputs"]["account_id"] == "123456789012"
    assert document["inputs"]["name"] == "acme"
    written = files(tmp_path)
    del written[".tfgen/manifest.json"]
    import hashlib

    assert document["files"] == {path: hashlib.sha256(data).hexdigest() for path, data in written.items()}


def test_rerun_leaves_identical_files_untouched(tmp_path: Path) -> None:
    init(tmp_path)
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
    code, output = init(tmp_path)
    assert code == 0
    assert "0 new, 0 changed" in output
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()} == before


def test_rerun_uses_saved_answers(tmp_path: Path) -> None:
    init(tmp_path, "--config", str(_config(tmp_path, "log_retention_days = 400\n")))
    before = files(tmp_path)
    code, output = init(tmp_path, answers=[])
    assert code == 0, output
    assert files(tmp_path) == before


def test_user_edit_is_refused_then_kept_then_forced(tmp_path: Path) -> None:
    config = _config(tmp_path, "log_retention_days = 731\n")
    tmp_path = tmp_path / "out"
    init(tmp_path)
    edited = tmp_path / "modules/kms/main.tf"
    edited.write_text(edited.read_text() + "# reviewed by the platform team\n")
    kept = edited.read_bytes()
    (tmp_path / "terraform.tfstate").write_text("{}")  # not ours: must survive everything

    code, output = init(tmp_path, "--config", str(config))
    assert code == 1
    assert "modules/kms/main.tf" in output and "--force" in output
    assert edited.read_bytes() == kept
    assert json.loads((tmp_path / ".tfgen/manifest.json").read_text())["inputs"]["log_retention_days"] == 365

    code, output = init(tmp_path, "--force")
    assert code == 0, output
    assert b"reviewed by the platform team" not in edited.read_bytes()
    assert (tmp_path / "terraform.tfstate").read_text() == "{}"


def test_check_reports_drift_and_writes_nothing(tmp_path: Path) -> None:
    init(tmp_path)
    code, output = init(tmp_path, "--check")
    assert code == 0 and "up to date" in output

    (tmp_path / "outputs.tf").write_text("# emptied\n")
    (tmp_path / "modules/iam/README.md").unlink()
    before = files(tmp_path)
    code, output = init(tmp_path, "--check")
    assert code == 1
    assert "outputs.tf (changed)" in output and "modules/iam/README.md (new)" in output
    assert files(tmp_path) == before


def test_foreign_files_in_the_way_are_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "null_resource" "mine" {}\n')
    code, output = init(tmp_path)
    assert code == 1
    assert "main.tf" in output
    assert (tmp_path / "main.tf").read_text() == 'resource "null_resource" "mine" {}\n'
    assert not (tmp_path / ".tfgen").exists()


def _config(directory: Path, body: str) -> Path:
    path = directory / "answers.toml"
    path.write_text(body)
    return path
