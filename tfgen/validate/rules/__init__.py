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

from collections.abc import Iterable, Iterator

from tfgen.validate.module import Module
from tfgen.validate.rules import audit, encryption, iam, secrets
from tfgen.validate.rules.core import Result, Rule
from tfgen.validate.status import FAILED, PASSED, SKIPPED


def _ordered_rules() -> list[Rule]:
    return [r for m in (iam, secrets, encryption, audit) for r in m.RULES]


def all_rules() -> dict[str, Rule]:
    return {r.id: r for r in _ordered_rules()}


def run_rules(module: Module) -> Iterator[Result]:
    """Every rule's results over `module`, rule by rule in the registry's order.

    The iam rules judge a module called several times once per call (`Module.instances`): a policy
    reads an expression where it has one value, so `Action = var.actions` set to `["*"]` by one call and
    to a narrow list by another is judged for each, and no policy mixes two calls' arguments. The
    encryption and audit rules follow each caller themselves (`Evaluator(module, call)`)."""
    failed_at: dict[str, set[tuple[str, int]]] = {}
    instances = module.instances()
    for r in _ordered_rules():
        taken = set().union(*(failed_at.get(other, set()) for other in r.yields_to))
        several = r.practice == "iam" and len(instances) > 1
        found: Iterable[Result] = _per_place([x for m in instances for x in r.check(m)]) if several else r.check(module)
        for result in found:
            where = (result.node.file.display, result.line)
            if result.status == FAILED:
                if where in taken:
                    continue
                failed_at.setdefault(r.id, set()).add(where)
            yield result


_RANK = {FAILED: 0, SKIPPED: 1, PASSED: 2}  # which verdict a place keeps when instances differ


def _per_place(results: list[Result]) -> list[Result]:
    """One rule's results over several instances of a module, a verdict per place: failed where any
    instance fails, else not evaluated where any instance could not be (never passed then), else passed;
    what several instances say alike is said once."""
    worst: dict[tuple[int, int, str], str] = {}
    for result in results:
        place = (id(result.node), result.line, result.address)
        if place not in worst or _RANK[result.status] < _RANK[worst[place]]:
            worst[place] = result.status
    out: list[Result] = []
    said: set[tuple[object, ...]] = set()
    for result in results:
        place = (id(result.node), result.line, result.address)
        key = (*place, result.status, result.message, result.skip_reason)
        if result.status == worst[place] and key not in said:
            said.add(key)
            out.append(result)
    return out
