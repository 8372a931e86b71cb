"""Every report but JSON names a file by a path that resolves from the working directory.

`cd sub && tfgen validate ../tree` names `../tree/main.tf` in SARIF, JUnit and text, where code
scanning and an editor find it (not `main.tf`, which they would look for in `sub/`). JSON's `file` stays relative
to the PATH, as spec/validate.md defines it: baselines match findings by it, so a baseline and a
JSON report do not change with the directory tfgen is run from. With relative PATHs no report
carries an absolute path.
"""

from __future__ import annotations

import json
import shutil
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from support.validate import ROOT
from typer.testing import CliRunner

from tfgen.cli import app

CASE = ROOT / "tests" / "cases" / "report"
runner = CliRunner()


def named_files(path: str) -> dict[str, set[str]]:
    """The file each format names for the failed TFGEN_SECRETS_2 finding of the case tree (in main.tf)."""
    out: dict[str, set[str]] = {}
    for fmt in ("json", "sarif", "junit", "text"):
        result = runner.invoke(app, ["validate", path, "--skip-checkov", "--no-cache", "--format", fmt])
        assert result.exit_code == 1, result.output
        if fmt == "json":
            out[fmt] = {
                f["file"]
                for f in json.loads(result.stdout)["findings"]
                if f["id"] == "TFGEN_SECRETS_2" and f["status"] == "failed"
            }
        elif fmt == "sarif":
            results = json.loads(result.stdout)["runs"][0]["results"]
            out[fmt] = {
                urllib.parse.unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
                for r in results
                if r["ruleId"] == "TFGEN_SECRETS_2"
            }
        elif fmt == "junit":
            out[fmt] = {
                c.get("file")
                for c in ET.fromstring(result.stdout).iter("testcase")
                if c.find("failure") is not None and c.get("name", "").startswith("TFGEN_SECRETS_2 ")
            }
        else:
            out[fmt] = {
                line.split(":")[0]
                for line in result.stdout.splitlines()
                if ": TFGEN_SECRETS_2 [secrets/critical] " in line
            }
        assert "/tmp" not in result.stdout and str(ROOT) not in result.stdout, fmt
    return out


@pytest.mark.parametrize("path", ["../tree", "../tree/", "../tree/main.tf", "./../tree"])
def test_files_are_named_from_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str) -> None:
    shutil.copytree(CASE, tmp_path / "tree")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    named = named_files(path)
    assert named.pop("json") == {"main.tf"}, "JSON: relative to the PATH (the spec; baselines match by it)"
    assert named == {"sarif": {"../tree/main.tf"}, "junit": {"../tree/main.tf"}, "text": {"../tree/main.tf"}}
    for name in {p for names in named.values() for p in names}:
        assert (tmp_path / "sub" / name).is_file()


def test_an_absolute_path_inside_the_working_directory_is_named_relative_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(CASE, tmp_path / "infra" / "tree")
    monkeypatch.chdir(tmp_path)
    named = named_files(str(tmp_path / "infra" / "tree"))  # e.g. $GITHUB_WORKSPACE/infra/tree from the workspace
    assert named.pop("json") == {"main.tf"}
    assert named == {"sarif": {"infra/tree/main.tf"}, "junit": {"infra/tree/main.tf"}, "text": {"infra/tree/main.tf"}}


def test_the_current_directory_names_files_as_they_are(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(CASE, tmp_path / "tree")
    monkeypatch.chdir(tmp_path / "tree")
    assert named_files(".") == {fmt: {"main.tf"} for fmt in ("json", "sarif", "junit", "text")}


def test_several_absolute_paths_inside_the_working_directory_are_named_relative_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a", "b"):
        shutil.copytree(CASE, tmp_path / "infra" / name)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app,
        [
            "validate",
            str(tmp_path / "infra" / "a"),
            str(tmp_path / "infra" / "b"),
            "--skip-checkov",
            "--no-cache",
            "--format",
            "sarif",
        ],
    )
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(result.stdout)["runs"][0]["results"]
        if r["ruleId"] == "TFGEN_SECRETS_2"
    }
    assert uris == {"infra/a/main.tf", "infra/b/main.tf"}
