"""The practice table: every relevant check id maps to exactly one practice, and the README lists it."""

from __future__ import annotations

import re

import pytest
from support.validate import ROOT

from tfgen import PRACTICES
from tfgen.validate.catalog import describe
from tfgen.validate.checkov_catalog import CHECKOV_CHECKS
from tfgen.validate.practices import CHECKOV_PRACTICE, markdown_table, practice_of
from tfgen.validate.rules import all_rules

# spec/validate.md, "Checkov ids by practice": the starting point the table must keep.
SPEC = {
    "iam": "CKV_AWS_1 49 62 63 274 275 355 356 107 108 109 110 111 286 287 288 289 290 60 61 283 358 393 40 273 33 20 53 54 55 56 57 70 93; CKV2_AWS_40 56 22 64 6 43 65",
    "secrets": "CKV_AWS_41 45 46 348 304; CKV2_AWS_36 57",
    "encryption": "CKV_AWS_7 227 19 145 186 294 149 337 158 26 27 119 136 184 189 327; CKV2_AWS_34 73",
    "audit": "CKV_AWS_67 36 35 252 251; CKV2_AWS_10",
}


def spec_ids(text: str) -> list[str]:
    ids = []
    for group in text.split(";"):
        words = group.split()
        prefix = words[0].rsplit("_", 1)[0] + "_"
        ids.append(words[0])
        ids.extend(prefix + n for n in words[1:])
    return ids


@pytest.mark.parametrize("practice", PRACTICES)
def test_spec_ids_keep_their_practice(practice: str) -> None:
    for check in spec_ids(SPEC[practice]):
        assert practice_of(check) == practice, check


def test_secret_checks_are_secrets() -> None:
    secret_ids = [c for c in CHECKOV_CHECKS if c.startswith("CKV_SECRET_")]
    assert secret_ids and all(practice_of(c) == "secrets" for c in secret_ids)


def test_every_mapped_id_exists_in_the_pinned_checkov() -> None:
    assert set(CHECKOV_PRACTICE) <= set(CHECKOV_CHECKS)


def test_unmapped_ids_have_no_practice() -> None:
    assert practice_of("CKV_AWS_144") is None
    assert practice_of("CKV2_AWS_62") is None


def test_tfgen_rules_have_practice_title_and_help() -> None:
    rules = all_rules()
    assert len(rules) >= 4 * 3
    for rule_id, rule in rules.items():
        assert re.fullmatch(r"TFGEN_(IAM|SECRETS|ENC|AUDIT)_\d+", rule_id)
        assert practice_of(rule_id) == rule.practice in PRACTICES
        assert rule.title and len(rule.help) > 80
        assert describe(rule_id).engine == "tfgen"
    assert {rule.practice for rule in rules.values()} == set(PRACTICES)


def test_markdown_table_lists_every_mapped_id_once() -> None:
    table = markdown_table()
    for check in list(CHECKOV_PRACTICE) + list(all_rules()):
        assert table.count(f"`{check}`") == 1, check


def test_readme_lists_the_table() -> None:
    readme = ROOT / "README.md"
    if not readme.exists():
        pytest.skip("README.md is not written yet (the lead writes it; `python -m tfgen.validate.practices` prints the table)")
    text = readme.read_text()
    missing = [c for c in list(CHECKOV_PRACTICE) + list(all_rules()) if c not in text]
    assert not missing, f"README.md does not list: {missing[:10]}"


@pytest.mark.checkov
def test_catalog_matches_the_installed_checkov() -> None:
    from support.checkov_list import checkov_list

    from tfgen.validate.checkov_run import parse_list_output

    listed = parse_list_output(checkov_list())
    assert listed == CHECKOV_CHECKS, "regenerate tfgen/validate/checkov_catalog.py for this checkov version"
