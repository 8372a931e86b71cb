"""Finding the files: recursion, skipped directories, PATH handling, display paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.validate import write_tree

from tfgen.errors import UsageError
from tfgen.validate.discover import discover, terraform_kind

RESOURCE = 'resource "aws_sns_topic" "t" {\n  name = "t"\n}\n'


def test_terraform_kinds() -> None:
    assert terraform_kind("main.tf") == "hcl"
    assert terraform_kind("prod.tfvars") == "hcl"
    assert terraform_kind("main.tf.json") == "json"
    assert terraform_kind("prod.tfvars.json") == "json"
    assert terraform_kind("terraform.tfvars.example") is None
    assert terraform_kind("README.md") is None


def test_recursive_and_skips_terraform_git_hidden_and_node_modules(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "main.tf": RESOURCE,
            "modules/a/main.tf": RESOURCE,
            "envs/prod.tfvars": "x = 1\n",
            "j/main.tf.json": "{}",
            ".terraform/modules/m/main.tf": RESOURCE,
            ".git/x.tf": RESOURCE,
            ".hidden/x.tf": RESOURCE,
            "node_modules/x/main.tf": RESOURCE,
            "README.md": "# hi\n",
        },
    )
    found = discover([str(tmp_path)])
    assert sorted(c.rel for c in found.candidates) == [
        "envs/prod.tfvars",
        "j/main.tf.json",
        "main.tf",
        "modules/a/main.tf",
    ]
    assert all(c.problem is None for c in found.candidates)


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=f"path not found: {tmp_path}/nope"):
        discover([str(tmp_path / "nope")])


def test_empty_directory_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match=r"no Terraform files \(.tf, .tfvars, .tf.json\) under"):
        discover([str(tmp_path / "empty")])


def test_non_terraform_file_path_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(UsageError, match="not a Terraform file"):
        discover([str(tmp_path / "notes.txt")])


def test_file_paths_and_several_roots_get_unambiguous_display_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, {"a/main.tf": RESOURCE, "b/main.tf": RESOURCE, "c/x.tf": RESOURCE})
    monkeypatch.chdir(tmp_path)
    found = discover(["a", "b", "c/x.tf"])
    assert [c.display for c in found.candidates] == ["a/main.tf", "b/main.tf", "c/x.tf"]
    single = discover(["a"])
    assert [c.display for c in single.candidates] == ["main.tf"]
    one_file = discover(["c/x.tf"])
    assert [c.display for c in one_file.candidates] == ["x.tf"]


def test_the_same_file_reached_twice_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"a/main.tf": RESOURCE})
    monkeypatch.chdir(tmp_path)
    found = discover(["a", "a/main.tf"])
    assert len(found.candidates) == 1


def test_symlinked_directory_is_reported_not_followed(tmp_path: Path) -> None:
    write_tree(tmp_path, {"real/main.tf": RESOURCE, "root/main.tf": RESOURCE})
    os.symlink("../real", tmp_path / "root" / "linked")
    found = discover([str(tmp_path / "root")])
    assert [c.rel for c in found.candidates] == ["main.tf"]
    [note] = found.notes
    assert note.rel == "linked" and not note.failed and "not followed" in note.message


def test_symlinked_file_is_read_when_its_target_is_scanned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"shared/versions.tf": RESOURCE, "root/main.tf": RESOURCE, "root/real/x.tf": RESOURCE})
    os.symlink("../shared/versions.tf", tmp_path / "root" / "versions.tf")
    os.symlink("real/x.tf", tmp_path / "root" / "inner.tf")
    found = discover([str(tmp_path / "root")])
    assert sorted(c.rel for c in found.candidates) == ["inner.tf", "main.tf"]  # real/x.tf is the same file
    [note] = found.notes  # outside the PATH: skipped (tests/test_validate_confinement.py)
    assert note.rel == "versions.tf" and not note.failed and "outside the scanned paths" in note.message
    monkeypatch.chdir(tmp_path)
    both = discover(["root", "shared"])
    assert sorted(c.display for c in both.candidates) == ["root/inner.tf", "root/main.tf", "root/versions.tf"]
    assert all(c.problem is None for c in both.candidates) and not both.notes
