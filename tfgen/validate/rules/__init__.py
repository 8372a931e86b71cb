"""tfgen's own rules: python-hcl2 readings of what checkov misses or gets wrong.

A rule is one self-describing unit, as in tflint's rulesets or ruff's rules: the `@rule(...)`
decorator (`core`) puts its id, practice, severity, title, why it matters, how to fix it (with an example)
and its check (the decorated function, a generator of `Result`s over one `Module`) into one
`Rule`. tfgen's registry of checks (`tfgen.validate.registry`) reads everything else from it
(practice of the id, SARIF help, docs/checks.md tables, `tfgen list-checks`), so a new rule is one
decorated function in its practice's module, listed in that module's `RULES`, and its cases under
tests/corpus/<practice>/ keyed by its id (see docs/architecture.md).
A rule reports `passed` for what it examined and found fine, `failed` otherwise, so every
rule shows up in the report's counts and in JUnit even on a clean tree.
"""

from __future__ import annotations

from collections.abc import Iterator

from tfgen.validate.module import Module
from tfgen.validate.rules import audit, encryption, iam, secrets
from tfgen.validate.rules.core import Result, Rule
from tfgen.validate.status import FAILED


def _ordered_rules() -> list[Rule]:
    return [r for m in (iam, secrets, encryption, audit) for r in m.RULES]


def all_rules() -> dict[str, Rule]:
    return {r.id: r for r in _ordered_rules()}


def run_rules(module: Module) -> Iterator[Result]:
    """Every rule's results over `module`, rule by rule in the registry's order."""
    failed_at: dict[str, set[tuple[str, int]]] = {}
    for r in _ordered_rules():
        taken = set().union(*(failed_at.get(other, set()) for other in r.yields_to))
        for result in r.check(module):
            where = (result.node.file.display, result.line)
            if result.status == FAILED:
                if where in taken:
                    continue
                failed_at.setdefault(r.id, set()).add(where)
            yield result
