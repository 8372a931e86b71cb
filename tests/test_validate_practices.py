"""The practice of every id, from the registry: every relevant check id maps to exactly one practice."""

from __future__ import annotations

import re

import pytest

from tfgen import PRACTICES
from tfgen.checkov.data.generate_catalogue import PRACTICE_OVERRIDES
from tfgen.validate.registry import checks, describe, ordered, practice_of
from tfgen.validate.rules import all_rules

# spec/validate.md, "Checkov ids by practice": the starting point the registry must keep.
SPEC = {
    "iam": "CKV_AWS_1 49 62 63 274 275 355 356 107 108 109 110 111 286 287 288 289 290 60 61 283 358 393 40 273 33 "
    "20 53 54 55 56 57 70 93; CKV2_AWS_40 56 22 64 6 43 65",
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
    secret_ids = [c for c in checks() if c.startswith("CKV_SECRET_")]
    assert secret_ids and all(practice_of(c) == "secrets" for c in secret_ids)


def test_every_override_names_a_check_of_the_pinned_checkov_with_a_reason() -> None:
    for check_id, (practice, reason) in PRACTICE_OVERRIDES.items():
        assert describe(check_id).engine == "checkov" and check_id in checks(), check_id
        assert practice in (*PRACTICES, None) and len(reason) > 20, check_id


def test_tls_in_transit_is_encryption_and_minor_version_upgrades_are_no_practice() -> None:
    for check_id in ("CKV2_AWS_20", "CKV_AWS_103", "CKV_AWS_378", "CKV_AWS_376", "CKV2_AWS_74"):
        assert practice_of(check_id) == "encryption", check_id
    for check_id in ("CKV_AWS_222", "CKV_AWS_226"):  # checkov's category says ENCRYPTION
        assert practice_of(check_id) is None, check_id


def test_checks_outside_the_four_practices_have_none() -> None:
    assert practice_of("CKV_AWS_144") is None  # S3 cross-region replication: GENERAL_SECURITY
    assert practice_of("CKV_AWS_24") is None  # security group open to SSH: NETWORKING
    assert practice_of("CKV_NOT_A_CHECK") is None
    # no table of tfgen's names it; checkov's category LOGGING makes it audit
    assert practice_of("CKV2_AWS_62") == "audit"


def test_categories_give_the_practice() -> None:
    """The registry's practice follows checkov's category outside the documented overrides."""
    from tfgen.checkov.data.generate_catalogue import CATEGORY_PRACTICE
    from tfgen.validate.registry import checkov_data

    for entry in checkov_data()["checks"]:
        if entry["id"] in PRACTICE_OVERRIDES:
            continue
        expected = "secrets" if "secrets" in entry["frameworks"] else CATEGORY_PRACTICE.get(entry["category"] or "")
        assert practice_of(entry["id"]) == expected, entry["id"]


def test_tfgen_rules_have_practice_severity_title_and_help() -> None:
    rules = all_rules()
    assert len(rules) >= 4 * 3
    for rule_id, rule in rules.items():
        assert re.fullmatch(r"TFGEN_(IAM|SECRETS|ENC|AUDIT)_\d+", rule_id)
        assert practice_of(rule_id) == rule.practice in PRACTICES
        assert rule.title and len(rule.help) > 80 and rule.fix and rule.example
        assert describe(rule_id).engine == "tfgen"
        assert describe(rule_id).severity == rule.severity
    assert {rule.practice for rule in rules.values()} == set(PRACTICES)
    assert [c.id for c in ordered("tfgen") if c.practice] == sorted(
        rules, key=lambda i: (i.rsplit("_", 1)[0], int(i.rsplit("_", 1)[1]))
    )
