"""Trees whose failed findings have known severities, for the severity and --fail-on tests."""

from __future__ import annotations

import shutil
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
# case -> a Terraform file with exactly one failed finding (--skip-checkov) of a known severity
CASES = {
    "medium": TESTS / "corpus" / "audit" / "fail" / "global_events_off" / "main.tf",  # TFGEN_AUDIT_1
    "critical": TESTS / "cases" / "severity" / "critical" / "main.tf",  # TFGEN_SECRETS_2
    "syntax": TESTS / "cases" / "severity" / "syntax" / "main.tf",  # TFGEN_SYNTAX (high, and unevaluated)
}


def severity_tree(base: Path, *cases: str) -> Path:
    """`base/tree` holding `<case>.tf` for each case."""
    tree = base / "tree"
    tree.mkdir()
    for case in cases:
        shutil.copy(CASES[case], tree / f"{case}.tf")
    return tree
