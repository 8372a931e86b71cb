"""The registry as text: docs/checks.md's two tables and the formats of `tfgen list-checks`.

python -m tfgen.validate.registry --write-docs [docs/checks.md]    # after adding or changing a rule
"""

from __future__ import annotations

import json
import re

from tfgen import PRACTICES
from tfgen.validate.registry import PRACTICE_TITLES, checkov_data, id_order, ordered


def _cell(text: str) -> str:
    """Text as one Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def rules_table() -> str:
    """docs/checks.md's "tfgen's rules" table."""
    lines = ["| id | practice | severity | fails when |", "|---|---|---|---|"]
    for check in ordered("tfgen"):
        if check.practice is not None:
            lines.append(f"| `{check.id}` | `{check.practice}` | {check.severity} | {_cell(check.title)} |")
    return "\n".join(lines) + "\n"


def practices_table() -> str:
    """docs/checks.md's "Checks by practice" table."""
    lines = ["| practice | tfgen rules | checkov checks (AWS) | other checkov checks |", "|---|---|---|---|"]
    for practice in PRACTICES:
        own = [c.id for c in ordered("tfgen") if c.practice == practice]
        theirs = [c.id for c in ordered("checkov") if c.practice == practice]
        aws = [i for i in theirs if re.match(r"CKV2?_AWS_", i) or i.startswith("CKV_SECRET_")]
        others = len(theirs) - len(aws)
        lines.append(
            f"| `{practice}` ({PRACTICE_TITLES[practice]}) | {', '.join(f'`{i}`' for i in own)} | "
            f"{', '.join(f'`{i}`' for i in aws)} | {others} (other providers; `tfgen list-checks`) |"
        )
    lines.append("")
    lines.append("Every other id (networking, backup, general security, ...) is reported with practice `null`.")
    return "\n".join(lines) + "\n"


def overrides_table() -> str:
    """docs/checks.md's table of the checkov checks whose practice is not their category's, with the reason."""
    lines = ["| id | checkov category | practice | why |", "|---|---|---|---|"]
    entries = [e for e in checkov_data()["checks"] if e.get("practice_reason")]
    for entry in sorted(entries, key=lambda e: id_order(e["id"])):
        practice = f"`{entry['practice']}`" if entry["practice"] else "none"
        lines.append(f"| `{entry['id']}` | {entry['category']} | {practice} | {_cell(entry['practice_reason'])} |")
    return "\n".join(lines) + "\n"


def managed_policies_table() -> str:
    """docs/checks.md's list of the AWS managed policies TFGEN_IAM_6 fails, each with its reason."""
    from tfgen.validate.rules.iam import BROAD_MANAGED_PATTERNS, BROAD_MANAGED_POLICIES

    lines = ["| AWS managed policy | what it grants |", "|---|---|"]
    for name, why in [*BROAD_MANAGED_POLICIES.items(), *BROAD_MANAGED_PATTERNS.items()]:
        lines.append(f"| `{name}` | {_cell(why)} |")
    return "\n".join(lines) + "\n"


def trust_deputies_table() -> str:
    """docs/checks.md's list of the services TFGEN_IAM_1 judges, each with its AWS page, and those it does not."""
    from tfgen.validate.rules.iam import TRUST_DEPUTIES, TRUST_NOT_JUDGED

    lines = ["| service principal | judged | AWS page, or why not |", "|---|---|---|"]
    lines += [f"| `{service}` | yes | {page} |" for service, page in TRUST_DEPUTIES.items()]
    lines += [f"| `{service}` | no | {_cell(why)} |" for service, why in TRUST_NOT_JUDGED.items()]
    lines.append("| any other service | no | no AWS page tfgen knows documents the keys for its role's trust |")
    return "\n".join(lines) + "\n"


DOC_BLOCKS = {
    "rules": rules_table,
    "practices": practices_table,
    "overrides": overrides_table,
    "managed-policies": managed_policies_table,
    "trust-deputies": trust_deputies_table,
}


def update_docs(text: str) -> str:
    """docs/checks.md's text with each generated block (between `<!-- registry:NAME -->` markers) regenerated."""
    for name, make in DOC_BLOCKS.items():
        start, end = f"<!-- registry:{name} -->\n", f"<!-- registry:{name} end -->"
        head, found, rest = text.partition(start)
        if not found or end not in rest:
            raise ValueError(f"docs/checks.md has no {start.strip()} ... {end} block")
        text = head + start + make() + rest[rest.index(end) :]
    return text


def list_text() -> str:
    rows = [(c.id, c.engine, c.practice or "-", c.severity, c.title) for c in ordered()]
    width = max(len(r[0]) for r in rows)
    return "".join(f"{i:<{width}}  {e:<7}  {p:<10}  {s:<8}  {t}\n" for i, e, p, s, t in rows)


def list_json() -> str:
    return json.dumps({"checks": [c.to_json() for c in ordered()]}, indent=2, ensure_ascii=False) + "\n"


def list_markdown() -> str:
    lines = ["| id | engine | practice | severity | title | remediation |", "|---|---|---|---|---|---|"]
    for c in ordered():
        lines.append(
            f"| `{c.id}` | {c.engine} | {c.practice or ''} | {c.severity} | {_cell(c.title)} | {_cell(c.remediation)} |"
        )
    return "\n".join(lines) + "\n"


LIST_FORMATS = {"text": list_text, "json": list_json, "markdown": list_markdown}


def main(argv: list[str]) -> int:
    """`python -m tfgen.validate.registry --write-docs [docs/checks.md]` regenerates docs/checks.md's tables."""
    from pathlib import Path

    if not argv or argv[0] != "--write-docs":
        print("usage: python -m tfgen.validate.registry --write-docs [docs/checks.md]")
        return 2
    path = Path(argv[1] if len(argv) > 1 else "docs/checks.md")
    path.write_text(update_docs(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0
