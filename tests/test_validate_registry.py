"""The registry of checks: checkov's part regenerates from checkov itself, and everything derived agrees with it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.subprocess_cli import tfgen
from support.validate import ROOT, checkov_or_skip, write_tree
from typer.testing import CliRunner

from tfgen import PRACTICES
from tfgen.checkov import env as checkov_env
from tfgen.cli import app
from tfgen.validate import corrections
from tfgen.validate.registry import SEVERITIES, checkov_data, checks, describe, ordered
from tfgen.validate.registry.render import update_docs

runner = CliRunner()
GENERATOR = ROOT / "tfgen" / "checkov" / "data" / "generate_catalogue.py"
DATA = ROOT / "tfgen" / "checkov" / "data" / "catalogue.json"


@pytest.mark.checkov
def test_checkov_data_regenerates_identically_with_the_pinned_checkov() -> None:
    python = checkov_env.interpreter_of(checkov_or_skip())
    result = subprocess.run(
        [str(python), str(GENERATOR)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=checkov_env.offline_environment(),
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout == DATA.read_text(encoding="utf-8"), (
        "regenerate: .venv/tfgen-checkov/bin/python tfgen/checkov/data/generate_catalogue.py > "
        "tfgen/checkov/data/catalogue.json"
    )


@pytest.mark.checkov
def test_checkov_data_agrees_with_checkov_list() -> None:
    """Ids, titles and entity types are exactly what `checkov --list --framework terraform secrets` prints."""
    from support.checkov_list import checkov_list, list_rows

    rows = list_rows(checkov_list())
    titles: dict[str, str] = {}
    entities: dict[str, set[str]] = {}
    for check_id, kind, entity, title in rows:
        titles.setdefault(check_id, title)
        if kind in ("resource", "data", "provider"):
            entities.setdefault(check_id, set()).add(f"{kind} {entity}")
    data = {e["id"]: e for e in checkov_data()["checks"]}
    assert {i: e["title"] for i, e in data.items()} == titles
    assert {i: set(e["entities"]) for i, e in data.items() if e["entities"]} == entities


def test_every_check_has_a_severity_a_practice_or_none_and_a_remediation() -> None:
    every = checks()
    assert len([c for c in every.values() if c.engine == "checkov"]) == len(checkov_data()["checks"]) > 1000
    for check in every.values():
        assert check.severity in SEVERITIES and check.practice in (*PRACTICES, None), check.id
        assert check.title and check.remediation, check.id


def test_an_unknown_id_is_described_without_a_practice() -> None:
    custom = describe("CKV_CUSTOM_1", "Ensure a custom thing")
    assert (custom.engine, custom.practice, custom.title) == ("checkov", None, "Ensure a custom thing")


def test_corrections_name_registered_checkov_ids() -> None:
    ids = set(corrections.KEY_POLICY_WILDCARD_CHECKS) | {"CKV2_AWS_10", "CKV_AWS_145"}
    for check_id in ids:
        assert describe(check_id).engine == "checkov" and check_id in checks(), check_id
    assert checks()["TFGEN_AUDIT_5"].engine == "tfgen"  # named in a correction's reason


def test_the_docs_tables_are_the_generated_ones() -> None:
    text = (ROOT / "docs/checks.md").read_text(encoding="utf-8")
    assert update_docs(text) == text, "regenerate: python -m tfgen.validate.registry --write-docs"


def test_list_checks_json_lists_every_check_once() -> None:
    result = runner.invoke(app, ["list-checks", "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)["checks"]
    assert [c["id"] for c in listed] == [c.id for c in ordered()]
    assert len({c["id"] for c in listed}) == len(listed) == len(checks())
    for item in listed:
        assert {"id", "engine", "practice", "severity", "title", "remediation"} <= set(item)
        assert item["engine"] in ("tfgen", "checkov") and item["severity"] in SEVERITIES
    enc1 = next(c for c in listed if c["id"] == "TFGEN_ENC_1")
    assert (enc1["practice"], enc1["severity"]) == ("encryption", "medium") and "kms_master_key_id" in enc1[
        "remediation"
    ]


def test_list_checks_text_and_markdown() -> None:
    text = runner.invoke(app, ["list-checks"])
    assert text.exit_code == 0 and text.stdout.splitlines()[0].split()[:4] == [
        "TFGEN_AUDIT_1",
        "tfgen",
        "audit",
        "medium",
    ]
    assert len(text.stdout.splitlines()) == len(checks())
    markdown = runner.invoke(app, ["list-checks", "--format", "markdown"])
    assert markdown.exit_code == 0 and markdown.stdout.startswith(
        "| id | engine | practice | severity | title | remediation |"
    )
    assert "| `CKV_AWS_7` | checkov | encryption |" in markdown.stdout


def test_list_checks_bad_format_is_one_line_exit_2(tmp_path: Path) -> None:
    result = tfgen("list-checks", "--format", "xml", cwd=tmp_path)  # the real entry point: one line
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "tfgen: error: Invalid value for '--format': Value error, 'xml' is not one of 'text', 'json', 'markdown'."
    ]


def test_sarif_severity_comes_from_the_registry(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "t",
        {"main.tf": (ROOT / "tests" / "corpus" / "encryption" / "fail" / "sse_aes256" / "main.tf").read_text()},
    )
    result = runner.invoke(app, ["validate", str(tree), "--skip-checkov", "--no-cache", "--format", "sarif"])
    assert result.exit_code == 1, result.output
    run = json.loads(result.stdout)["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["TFGEN_ENC_1"]["properties"]["security-severity"] == "5.5"
    assert rules["TFGEN_ENC_1"]["properties"]["severity"] == "medium"
    assert rules["TFGEN_ENC_1"]["defaultConfiguration"]["level"] == "warning"
    assert "kms_master_key_id" in rules["TFGEN_ENC_1"]["help"]["text"]
    assert "```hcl\napply_server_side_encryption_by_default {" in rules["TFGEN_ENC_1"]["help"]["markdown"]
    assert {r["level"] for r in run["results"] if r["ruleId"] == "TFGEN_ENC_1"} == {"warning"}


def _fingerprint_of(package_parent: Path) -> str:
    code = "from tfgen.cache.keys import code_fingerprint; print(code_fingerprint())"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=package_parent,
        env={**os.environ, "PYTHONPATH": str(package_parent)},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip()


def test_a_regenerated_checkov_json_invalidates_cached_results(tmp_path: Path) -> None:
    """Cached findings carry practices from catalogue.json: a new catalogue.json must be a new cache key."""
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "tfgen", copy / "tfgen", ignore=shutil.ignore_patterns("__pycache__"))
    before = _fingerprint_of(copy)
    data = copy / "tfgen" / "checkov" / "data" / "catalogue.json"
    data.write_text(
        data.read_text(encoding="utf-8").replace('"practice": null', '"practice": "iam"', 1), encoding="utf-8"
    )
    assert _fingerprint_of(copy) != before


IDS = st.sampled_from(sorted(checks())) | st.text(min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(IDS, st.none() | st.text(max_size=20))
def test_any_id_has_one_description_with_a_valid_severity_and_practice(check_id: str, title: str | None) -> None:
    """Whatever id a report holds (checkov's, tfgen's, a custom check's), the registry answers consistently."""
    from tfgen.validate.registry import SARIF_LEVEL, SECURITY_SEVERITY, practice_of

    check = describe(check_id, title)
    assert check.severity in SEVERITIES and check.practice in (*PRACTICES, None)
    assert practice_of(check_id) == (check.practice if check_id in checks() else None)
    assert float(SECURITY_SEVERITY[check.severity]) > 0 and SARIF_LEVEL[check.severity] in ("note", "warning", "error")
    if check_id in checks():
        assert check is checks()[check_id]


def test_every_rule_carries_its_check_and_yields_only_to_earlier_rules() -> None:
    """A rule is one unit (description and check); `yields_to` can only name a rule that runs before it."""
    from tfgen.validate.rules import all_rules

    order = list(all_rules())
    for rule in all_rules().values():
        assert callable(rule.check), rule.id
        for other in rule.yields_to:
            assert other in order and order.index(other) < order.index(rule.id), (rule.id, other)
