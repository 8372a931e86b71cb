"""Write `catalogue.json`, tfgen's registry of checkov's checks, from checkov's own metadata.

Run it with the interpreter of tfgen's checkov environment (checkov cannot be imported next to
python-hcl2), from the repository root:

    .venv/tfgen-checkov/bin/python tfgen/checkov/data/generate_catalogue.py > tfgen/checkov/data/catalogue.json

It imports checkov's check registries (the ones `checkov --list --framework terraform secrets`
prints, so ids, titles and entity types are exactly that list) and writes one object per check:
id, title, category (checkov's), practice and severity (derived here, see below), frameworks,
entities ("resource aws_s3_bucket", ...) and guideline (checkov's URL, or null: the open-source
metadata has none offline). tests/test_validate_registry.py regenerates it with the real checkov and
compares. This file imports nothing from tfgen: the checkov environment does not have it.

Practice, from checkov's category (resource, data and provider checks carry a CheckCategories;
graph checks a category string in their YAML; the secrets framework's ids are secrets):
ENCRYPTION -> encryption, IAM -> iam, SECRETS -> secrets, LOGGING -> audit; every other category
(NETWORKING, BACKUP_AND_RECOVERY, GENERAL_SECURITY, ...) -> null. PRACTICE_OVERRIDES below are the
ids tfgen's practice table placed elsewhere before the registry, each with its reason.

Severity (checkov's open-source output carries none): by category, SECRETS critical, IAM high,
ENCRYPTION and LOGGING medium, everything else low; raised to high when the title says the
resource is public or open to the world (KEYWORDS_HIGH); SEVERITY_OVERRIDES last.
"""

from __future__ import annotations

import json
import sys
from typing import Any

CATEGORY_PRACTICE = {"ENCRYPTION": "encryption", "IAM": "iam", "SECRETS": "secrets", "LOGGING": "audit"}
CATEGORY_SEVERITY = {"SECRETS": "critical", "IAM": "high", "ENCRYPTION": "medium", "LOGGING": "medium"}
KEYWORDS_HIGH = ("public", "0.0.0.0", "::/0", "anonymous", "world", "unrestricted", "admin", "hard-coded", "hardcoded")

_PUBLIC = "who may reach the resource is access control: the iam practice (its category says {})"
_ROTATION = "rotating a stored secret is the secrets practice (its category says {})"

# id -> (practice, reason): the ids tfgen's practice table (spec/validate.md) placed where
# checkov's category does not; each keeps tfgen's practice, for the reason given.
PRACTICE_OVERRIDES: dict[str, tuple[str | None, str]] = {
    **{
        i: ("iam", _PUBLIC.format("GENERAL_SECURITY"))
        for i in (
            "CKV_AWS_20",
            "CKV_AWS_53",
            "CKV_AWS_54",
            "CKV_AWS_55",
            "CKV_AWS_56",
            "CKV_AWS_57",
            "CKV_AWS_72",
            "CKV_AWS_301",
            "CKV_AWS_387",
            "CKV2_AWS_65",
        )
    },
    "CKV2_AWS_6": ("iam", _PUBLIC.format("NETWORKING")),
    "CKV_AWS_33": ("iam", "a wildcard principal in a KMS key policy is who may use the key: iam (category ENCRYPTION)"),
    "CKV_AWS_348": ("secrets", "access keys of the root user are long-lived credentials: secrets (category IAM)"),
    "CKV2_AWS_36": (
        "secrets",
        "SSM secrets sent to untrusted domains leak credentials: secrets (category SUPPLY_CHAIN)",
    ),
    "CKV2_AWS_57": ("secrets", _ROTATION.format("GENERAL_SECURITY")),
    "CKV_AWS_304": ("secrets", _ROTATION.format("GENERAL_SECURITY")),
    "CKV_AWS_379": (
        "encryption",
        "a policy denying requests without TLS is encryption in transit (category NETWORKING)",
    ),
}

# id -> (severity, reason): where the rule above misjudges a check tfgen's baseline relies on.
SEVERITY_OVERRIDES: dict[str, tuple[str, str]] = {
    "CKV_AWS_348": ("critical", "root user access keys open the whole account"),
    "CKV_AWS_1": ("critical", "a policy granting *:* is full administrator access"),
    "CKV_AWS_67": ("high", "a trail that is not multi-region misses every other region's API calls"),
}


def _category(value: Any) -> str | None:
    if value is None:
        return None
    name = getattr(value, "name", None) or str(value)
    return name.upper()


def derive(check_id: str, title: str, categories: list[str]) -> tuple[str | None, str]:
    """(practice, severity) of a checkov check from its categories and title."""
    practice = next((CATEGORY_PRACTICE[c] for c in categories if c in CATEGORY_PRACTICE), None)
    severity = next((CATEGORY_SEVERITY[c] for c in categories if c in CATEGORY_SEVERITY), "low")
    if severity in ("low", "medium") and any(k in title.lower() for k in KEYWORDS_HIGH):
        severity = "high"
    if check_id in PRACTICE_OVERRIDES:
        practice = PRACTICE_OVERRIDES[check_id][0]
    if check_id in SEVERITY_OVERRIDES:
        severity = SEVERITY_OVERRIDES[check_id][0]
    return practice, severity


def collect() -> list[dict[str, Any]]:
    from checkov.common.checks_infra.registry import get_graph_checks_registry
    from checkov.docs_generator import get_checks
    from checkov.terraform.checks.data.registry import data_registry
    from checkov.terraform.checks.module.registry import module_registry
    from checkov.terraform.checks.provider.registry import provider_registry
    from checkov.terraform.checks.resource.registry import resource_registry

    categories: dict[str, list[str]] = {}
    guidelines: dict[str, str | None] = {}
    for registry in (resource_registry, data_registry, provider_registry, module_registry):
        for _entity, check in registry.all_checks():
            names = [c for c in (_category(x) for x in check.categories or []) if c]
            categories.setdefault(check.id, names)
            guidelines.setdefault(check.id, check.guideline)
    graph = get_graph_checks_registry("terraform")
    graph.load_checks()
    for graph_check in graph.checks:
        name = _category(graph_check.category)
        categories.setdefault(graph_check.id, [name] if name else [])
        guidelines.setdefault(graph_check.id, graph_check.guideline)

    checks: dict[str, dict[str, Any]] = {}
    for check_id, kind, entity, raw_title, iac, _link in get_checks(["terraform", "secrets"]):
        title = raw_title.strip()  # as `checkov --list` shows it (a few titles end in a space)
        framework = "secrets" if iac == "secrets" else "terraform"
        entry = checks.get(check_id)
        if entry is None:
            cats = ["SECRETS"] if framework == "secrets" else categories.get(check_id, [])
            practice, severity = derive(check_id, title, cats)
            entry = checks[check_id] = {
                "id": check_id,
                "title": title,
                "category": cats[0] if cats else None,
                "practice": practice,
                "severity": severity,
                "frameworks": [],
                "entities": [],
                "guideline": guidelines.get(check_id),
            }
        if framework not in entry["frameworks"]:
            entry["frameworks"].append(framework)
        if kind in ("resource", "data", "provider") and framework == "terraform":
            label = f"{kind} {entity}"
            if label not in entry["entities"]:
                entry["entities"].append(label)
    for entry in checks.values():
        entry["entities"].sort()
    return list(checks.values())


def render(checks: list[dict[str, Any]]) -> str:
    """One check per line, so a checkov upgrade reads as a line diff."""
    lines = ",\n".join(json.dumps(c, ensure_ascii=False, sort_keys=False) for c in checks)
    return '{"generator": "tfgen/checkov/data/generate_catalogue.py", "checks": [\n' + lines + "\n]}\n"


def main() -> int:
    import checkov.version

    text = render(collect())
    sys.stdout.write(text.replace('"generator"', f'"checkov_version": "{checkov.version.version}", "generator"', 1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
