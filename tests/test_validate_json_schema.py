"""The JSON report's schema ships in the package, `tfgen schema` prints it, real reports validate
against it, and docs/validate.md's JSON section names every field it has."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema  # installed with the test extras (moto[server] -> openapi-spec-validator)
import pytest
from support import in_process_cli
from support.validate import CORPUS, ROOT, checkov_or_skip, write_tree

SCHEMA_FILE = ROOT / "tfgen" / "validate" / "report.schema.json"
SECRETS = 'variable "db_password" {\n  default = "literal-password"\n}\n'
SKIPS = (
    'resource "aws_sns_topic" "a" {\n  #checkov:skip=TFGEN_ENC_3:the topic carries public events only\n'
    '  kms_master_key_id = "alias/aws/sns"\n}\n\nresource "aws_sns_topic" "b" {\n  #checkov:skip=TFGEN_ENC_3\n'
    '  kms_master_key_id = "alias/aws/sns"\n}\n'
)


def tfgen_process(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m tfgen ARGS`: the command as CI starts it."""
    return subprocess.run(
        [sys.executable, "-m", "tfgen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_COLOR": "1"},
    )


def tfgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The same command through the entry point in this process."""
    return in_process_cli.tfgen(*args, cwd=cwd)


def report(cwd: Path, *args: str, run_in: Callable[..., subprocess.CompletedProcess[str]] = tfgen) -> dict[str, Any]:
    run = run_in(cwd, "validate", "--format", "json", *args)
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_tfgen_schema_prints_the_shipped_schema(tmp_path: Path) -> None:
    run = tfgen_process(tmp_path, "schema")
    assert run.returncode == 0 and run.stderr == ""
    assert run.stdout == SCHEMA_FILE.read_text(encoding="utf-8")
    assert json.loads(run.stdout)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def _reports_without_checkov(tmp_path: Path) -> dict[str, dict[str, Any]]:
    clean = write_tree(tmp_path / "clean", {"main.tf": 'variable "region" {\n  type = string\n}\n'})
    mixed = write_tree(
        tmp_path / "mixed",
        {
            "main.tf": SECRETS,
            "skips.tf": SKIPS,
            "broken.tf": 'resource "x" "y" {\n  a = \n}\n',
            "latin1.tf": b"# caf\xe9\n",
            "mod/m.tf": SECRETS,
            "call.tf": 'module "m" {\n  source = "./mod"\n}\n',
        },
    )
    no_checkov = ("--skip-checkov", "--no-cache")
    reports = {
        "clean": report(clean, *no_checkov),
        "mixed": report(mixed, *no_checkov),
        "two paths": report(tmp_path, "clean", "mixed", *no_checkov),
        "shard": report(mixed, "--shard", "2/2", *no_checkov),
        "unusable cache": report(mixed, "--skip-checkov", "--cache-dir", "main.tf"),
    }
    assert (
        tfgen(mixed, "validate", "--create-baseline", "b.json", *no_checkov).returncode == 1
    )  # the syntax error still fails
    (mixed / "main.tf").write_text('variable "db_password" {}\n')
    reports["baseline, unmatched"] = report(mixed, "--baseline", "b.json", *no_checkov)
    reports["baseline update"] = report(mixed, "--baseline", "b.json", "--create-baseline", "b.json", *no_checkov)
    return reports


def test_real_reports_validate(tmp_path: Path, validator: jsonschema.Draft202012Validator) -> None:
    reports = _reports_without_checkov(tmp_path)
    for name, data in reports.items():
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], name
    # the runs reached every optional field, so the schema describes what is printed, not a guess
    assert reports["shard"]["shard"] == [2, 2] and reports["unusable cache"]["warnings"]
    assert reports["baseline, unmatched"]["summary"]["baseline_unmatched"] == 1
    assert {"added", "dropped"} <= reports["baseline update"]["baseline"].keys()
    findings = [f for data in reports.values() for f in data["findings"]]
    assert {"message", "baselined"} <= {k for f in findings for k in f}
    assert {f["id"] for f in findings} >= {"TFGEN_SYNTAX", "TFGEN_READ", "TFGEN_SKIP_REASON", "TFGEN_ENC_3"}
    assert {f["status"] for f in findings} == {"passed", "failed", "skipped"}


@pytest.mark.checkov
def test_reports_with_checkov_validate(tmp_path: Path, validator: jsonschema.Draft202012Validator) -> None:
    checkov_or_skip()
    # both corpus trees in one PATH: tfgen starts checkov once per PATH (~2.2 s of CPU before it
    # reads a file), and a report over several PATHs is validated in test_real_reports_validate
    shutil.copytree(CORPUS / "encryption", tmp_path / "tree" / "encryption")
    shutil.copytree(CORPUS / "secrets" / "fail", tmp_path / "tree" / "secrets")
    data = report(tmp_path, "tree", "--cache-dir", str(tmp_path / "cache"), run_in=tfgen_process)
    assert data["checkov"]["ran"] and data["checkov"]["version"]
    assert any(f["engine"] == "checkov" for f in data["findings"])
    assert [e.message for e in validator.iter_errors(data)] == []


def test_the_schema_is_closed_so_it_can_fail(tmp_path: Path, validator: jsonschema.Draft202012Validator) -> None:
    write_tree(tmp_path, {"main.tf": SECRETS})
    data = report(tmp_path, "--skip-checkov", "--no-cache")
    assert validator.is_valid(data)
    for mutate in (
        lambda d: d.update(extra=1),
        lambda d: d["findings"][0].pop("line"),
        lambda d: d["findings"][0].update(status="ok"),
        lambda d: d["summary"].update(severity=1),
    ):
        broken = copy.deepcopy(data)
        mutate(broken)
        assert not validator.is_valid(broken)


def _property_names(node: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties":
                names |= set(value)
            names |= _property_names(value)
    elif isinstance(node, list):
        for item in node:
            names |= _property_names(item)
    return names


def test_the_docs_name_every_field_of_the_schema() -> None:
    doc = (ROOT / "docs/validate.md").read_text(encoding="utf-8")
    section = re.search(r"^### The JSON report\n(.*?)(?=^#|\Z)", doc, re.S | re.M)
    assert section, "docs/validate.md has a '### The JSON report' section"
    named = set(re.findall(r"`([a-z_]+)`", section.group(1)))
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert _property_names(schema) - named == set(), "document these fields in docs/validate.md's JSON section"
