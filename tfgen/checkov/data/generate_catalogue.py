"""Write `catalogue.json`, tfgen's registry of checkov's checks, from checkov's own metadata.

Run it with the interpreter of tfgen's checkov environment (checkov cannot be imported next to
python-hcl2), from the repository root:

    .venv/tfgen-checkov/bin/python tfgen/checkov/data/generate_catalogue.py > tfgen/checkov/data/catalogue.json

It imports checkov's check registries (the ones `checkov --list --framework terraform secrets`
prints, so ids, titles and entity types are exactly that list) and writes one object per check:
id, title, category (checkov's), practice and severity (derived here, see below), frameworks,
entities ("resource aws_s3_bucket", ...), guideline (checkov's URL, or null: the open-source
metadata has none offline), source (the check's own file in checkov's repository, the one
checkov's docs generator links, with `#L<n>` for a secrets check: the line of runner.py that maps
its secret type to its id; tfgen links it at the pinned version) and fix (what checkov looks for,
derived from the check itself where it says so plainly: the attribute and values a value check
inspects, the conditions of a graph check's definition; null where it does not).
tests/test_validate_registry.py regenerates it with the real checkov and compares. This file
imports nothing from tfgen: the checkov environment does not have it.

Practice, from checkov's category (resource, data and provider checks carry a CheckCategories;
graph checks a category string in their YAML; the secrets framework's ids are secrets):
ENCRYPTION -> encryption, IAM -> iam, SECRETS -> secrets, LOGGING -> audit; every other category
(NETWORKING, BACKUP_AND_RECOVERY, GENERAL_SECURITY, ...) -> null. PRACTICE_OVERRIDES below are the
ids whose check belongs to another practice than its category says (public access is iam, TLS in
transit encryption, minor-version upgrades none), each with its reason: written into the entry as
`practice_reason`, so docs/checks.md lists them from the registry.

Severity (checkov's open-source output carries none): by category, SECRETS critical, IAM high,
ENCRYPTION and LOGGING medium, everything else low; raised to high when the title says the
resource is public or open to the world (KEYWORDS_HIGH); SEVERITY_OVERRIDES last.
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any

CATEGORY_PRACTICE = {"ENCRYPTION": "encryption", "IAM": "iam", "SECRETS": "secrets", "LOGGING": "audit"}
CATEGORY_SEVERITY = {"SECRETS": "critical", "IAM": "high", "ENCRYPTION": "medium", "LOGGING": "medium"}
KEYWORDS_HIGH = ("public", "0.0.0.0", "::/0", "anonymous", "world", "unrestricted", "admin", "hard-coded", "hardcoded")

_PUBLIC = "who may reach the resource is access control: the iam practice (its category says {})"
_ROTATION = "rotating a stored secret is the secrets practice (its category says {})"
_TLS = "TLS in transit is the encryption practice (its category says {})"
_UPGRADES = "automatic minor-version upgrades of a {} are patching, not encryption (category ENCRYPTION)"

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
    # TLS in transit is the encryption practice ("Use encryption to protect sensitive data": in
    # transit as at rest), whatever checkov files it under
    **{
        i: ("encryption", _TLS.format(category))
        for i, category in (
            ("CKV_AWS_83", "GENERAL_SECURITY"),  # Elasticsearch/OpenSearch domain enforces HTTPS
            ("CKV_AWS_103", "NETWORKING"),  # load balancer listener TLS 1.2 policy
            ("CKV_AWS_213", "NETWORKING"),  # ELB policy secure protocols only
            ("CKV_AWS_218", "GENERAL_SECURITY"),  # CloudSearch latest TLS
            ("CKV_AWS_220", "GENERAL_SECURITY"),  # CloudSearch HTTPS
            ("CKV_AWS_259", "GENERAL_SECURITY"),  # CloudFront Strict-Transport-Security header
            ("CKV_AWS_365", "NETWORKING"),  # SES configuration set requires TLS
            ("CKV_AWS_376", "NETWORKING"),  # classic ELB listener TLS/SSL
            ("CKV_AWS_378", "NETWORKING"),  # load balancer listener or target group not HTTP
            ("CKV2_AWS_20", "NETWORKING"),  # ALB redirects HTTP to HTTPS
            ("CKV2_AWS_42", "NETWORKING"),  # CloudFront custom certificate (the default one allows TLSv1)
            ("CKV2_AWS_49", "NETWORKING"),  # DMS endpoints SSL
            ("CKV2_AWS_54", "NETWORKING"),  # CloudFront secure SSL protocols
            ("CKV2_AWS_69", "NETWORKING"),  # RDS encryption in transit
            ("CKV2_AWS_72", "NETWORKING"),  # CloudFront origin HTTPS only
            ("CKV2_AWS_74", "NETWORKING"),  # load balancer strong ciphers
        )
    },
    # checkov's category puts these under a practice their check has nothing to do with
    "CKV_AWS_153": (
        None,
        "tags on an Auto Scaling group's launch configuration are not encryption (category ENCRYPTION)",
    ),
    "CKV_AWS_222": (None, _UPGRADES.format("DMS replication instance")),
    "CKV_AWS_226": (None, _UPGRADES.format("DB instance")),
    "CKV_AWS_371": (
        None,
        "IMDSv2 on a SageMaker notebook is instance hardening, as EC2's CKV_AWS_79 is (category ENCRYPTION)",
    ),
    "CKV_AWS_333": (None, "a public IP address on an ECS service is networking, not audit (category LOGGING)"),
    "CKV2_AWS_12": (None, "a default security group's rules are networking, not audit (category LOGGING)"),
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


REPOSITORY_BLOB = "https://github.com/bridgecrewio/checkov/blob/main/"
SECRETS_RUNNER = "checkov/secrets/runner.py"
SECRETS_FIX = (
    "Revoke the credential, remove it from the file (and from the repository's history), and read it "
    "at apply time from Secrets Manager or SSM Parameter Store."
)


def _value(value: Any) -> str:
    return json.dumps(value, default=str)


def _key(path: str) -> str:
    """checkov's inspected key (`versioning/[0]/enabled`) as Terraform writes it (`versioning.enabled`)."""
    return re.sub(r"/?\[\d+\]", "", path).strip("/").replace("/", ".")


def value_check_fix(check: Any) -> str | None:
    """What a value check inspects, as an instruction; None for any other kind of check."""
    from checkov.common.models.consts import ANY_VALUE
    from checkov.terraform.checks.resource.base_resource_negative_value_check import BaseResourceNegativeValueCheck
    from checkov.terraform.checks.resource.base_resource_value_check import BaseResourceValueCheck

    try:
        if isinstance(check, BaseResourceValueCheck):
            key, values = _key(check.get_inspected_key()), list(check.get_expected_values())
            if ANY_VALUE in values:
                return f"Set `{key}`."
            if len(values) == 1:
                return f"Set `{key} = {_value(values[0])}`."
            return f"Set `{key}` to one of {', '.join(_value(v) for v in values)}."
        if isinstance(check, BaseResourceNegativeValueCheck):
            key, values = _key(check.get_inspected_key()), list(check.get_forbidden_values())
            if ANY_VALUE in values:
                return f"Remove `{key}`."
            return f"Do not set `{key}` to {' or '.join(_value(v) for v in values)}."
    except Exception:  # a check whose key or values depend on the resource: no plain instruction
        return None
    return None


_GRAPH_OPERATORS = {
    "equals": "`{a} = {v}`",
    "exists": "`{a}` set",
    "not_exists": "no `{a}`",
    "is_true": "`{a} = true`",
    "is_false": "`{a} = false`",
    "not_equals": "`{a}` other than {v}",
    "within": "`{a}` one of {v}",
    "greater_than_or_equal": "`{a}` at least {v}",
    "greater_than": "`{a}` above {v}",
}


def graph_fix(node: Any) -> str | None:
    """A graph check's definition as what it looks for; None when a part of it has no plain wording."""
    if not isinstance(node, dict):
        return None
    for op, joiner in (("and", "; "), ("or", " or ")):
        if op in node:
            parts = [graph_fix(n) for n in node[op]]
            if any(p is None for p in parts):
                return None
            said = [p for p in parts if p]
            if op == "and" or len(said) < 2:
                return joiner.join(said)
            return "one of: " + joiner.join(f"({p})" if "; " in p else p for p in said)
    kind, operator = node.get("cond_type"), node.get("operator")
    if kind == "filter":
        return ""  # which resources the check applies to, not what it asks of them
    if kind == "connection" and operator == "exists":
        return f"a connected {' or '.join(node.get('connected_resource_types') or ['resource'])}"
    if kind == "attribute" and operator in _GRAPH_OPERATORS and isinstance(node.get("attribute"), str):
        text = _GRAPH_OPERATORS[operator].format(a=node["attribute"], v=_value(node.get("value")))
        types = node.get("resource_types") or []
        return text + (f" on {' or '.join(types)}" if isinstance(types, list) and types else "")
    return None


def _graph_definition(path: str) -> Any:
    with open(path, encoding="utf-8") as handle:
        if path.endswith(".json"):
            return json.load(handle).get("definition")
        import yaml

        return (yaml.safe_load(handle) or {}).get("definition")


def _secrets_source() -> dict[str, str]:
    """CKV_SECRET_* -> `checkov/secrets/runner.py#L<n>`: the line that first names the id."""
    import checkov.secrets.runner as runner

    out: dict[str, str] = {}
    with open(runner.__file__, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            for check_id in re.findall(r"'(CKV_SECRET_\d+)'", line):
                out.setdefault(check_id, f"{SECRETS_RUNNER}#L{number}")
    return out


def collect() -> list[dict[str, Any]]:
    from checkov.common.checks_infra.registry import get_graph_checks_registry
    from checkov.docs_generator import get_checks
    from checkov.terraform.checks.data.registry import data_registry
    from checkov.terraform.checks.module.registry import module_registry
    from checkov.terraform.checks.provider.registry import provider_registry
    from checkov.terraform.checks.resource.registry import resource_registry

    categories: dict[str, list[str]] = {}
    guidelines: dict[str, str | None] = {}
    fixes: dict[str, str | None] = {}
    for registry in (resource_registry, data_registry, provider_registry, module_registry):
        for _entity, check in registry.all_checks():
            names = [c for c in (_category(x) for x in check.categories or []) if c]
            categories.setdefault(check.id, names)
            guidelines.setdefault(check.id, check.guideline)
            fixes.setdefault(check.id, value_check_fix(check))
    graph = get_graph_checks_registry("terraform")
    graph.load_checks()
    for graph_check in graph.checks:
        name = _category(graph_check.category)
        categories.setdefault(graph_check.id, [name] if name else [])
        guidelines.setdefault(graph_check.id, graph_check.guideline)
        path = getattr(graph_check, "check_path", None)
        if path and os.path.isfile(path):
            said = graph_fix(_graph_definition(path))
            fixes.setdefault(graph_check.id, f"checkov looks for {said}." if said else None)
    secrets_sources = _secrets_source()

    checks: dict[str, dict[str, Any]] = {}
    for check_id, kind, entity, raw_title, iac, link in get_checks(["terraform", "secrets"]):
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
                "source": secrets_sources.get(check_id)
                if framework == "secrets"
                else (link[len(REPOSITORY_BLOB) :] if link and link.startswith(REPOSITORY_BLOB) else None),
                "fix": SECRETS_FIX if framework == "secrets" else fixes.get(check_id),
            }
            if check_id in PRACTICE_OVERRIDES:  # docs/checks.md lists each with its reason
                entry["practice_reason"] = PRACTICE_OVERRIDES[check_id][1]
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
