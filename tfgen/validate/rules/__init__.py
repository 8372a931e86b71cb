"""tfgen's own rules: python-hcl2 readings of what checkov misses or gets wrong.

A rule is one self-describing unit, as in tflint's rulesets or ruff's rules: the `@rule(...)`
decorator puts its id, practice, severity, title, why it matters, how to fix it (with an example)
and its check (the decorated function, a generator of `Result`s over one `Module`) into one
`Rule`. tfgen's registry of checks (`tfgen.validate.registry`) reads everything else from it
(practice of the id, SARIF help, docs/checks.md tables, `tfgen list-checks`), so a new rule is one
decorated function in its practice's module, listed in that module's `RULES`, and its cases under
tests/corpus/<practice>/ keyed by its id (see docs/architecture.md).
A rule reports `passed` for what it examined and found fine, `failed` otherwise, so every
rule shows up in the report's counts and in JUnit even on a clean tree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from tfgen.validate.model import FAILED, PASSED, SKIPPED
from tfgen.validate.module import Module, Node
from tfgen.validate.registry import SEVERITIES


@dataclass(frozen=True)
class Rule:
    id: str
    practice: str
    title: str  # what fails, one line
    why: str  # why it matters and what to change (SARIF help text, text report)
    severity: str  # one of SEVERITIES
    fix: str  # how to fix it, one imperative sentence (JSON `remediation`)
    example: str  # Terraform that passes: the fix, written out
    url: str  # the page that explains what this rule asks (an AWS guide's, where one does)
    check: Callable[[Module], Iterable[Result]] = field(compare=False, repr=False)
    # Ids of rules that report the same problem more precisely: a failure of this rule at a
    # (file, line) where one of them failed is not reported twice (a literal AKIA... key under
    # `password` is a credential format, not also "a secret in a literal").
    yields_to: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:  # a typo here would silently change SARIF's level
            raise ValueError(f"{self.id}: severity {self.severity!r} is not one of {SEVERITIES}")

    @property
    def help(self) -> str:
        return self.why


@dataclass
class Result:
    rule: Rule
    status: str
    node: Node
    line: int
    message: str | None = None
    resource: str | None = None  # defaults to the node's address
    skip_reason: str | None = None

    @property
    def address(self) -> str:
        return self.resource or self.node.address


def passed(
    rule: Rule, node: Node, line: int | None = None, message: str | None = None, resource: str | None = None
) -> Result:
    return Result(rule, PASSED, node, line or node.line, message, resource)


def failed(
    rule: Rule, node: Node, line: int | None = None, message: str | None = None, resource: str | None = None
) -> Result:
    return Result(rule, FAILED, node, line or node.line, message, resource)


def skipped(rule: Rule, node: Node, reason: str, line: int | None = None, resource: str | None = None) -> Result:
    return Result(rule, SKIPPED, node, line or node.line, None, resource, reason)


CheckFunction = Callable[[Module], Iterable[Result]]


def rule(
    id: str,
    practice: str,
    *,
    title: str,
    why: str,
    severity: str,
    fix: str,
    example: str,
    url: str,
    yields_to: tuple[str, ...] = (),
) -> Callable[[CheckFunction], Rule]:
    """Declare a rule: its description here, its check the decorated function (which names the
    rule it reports by the name the decorator binds, e.g. `failed(SSE_NOT_CMK, ...)`)."""

    def declare(check: CheckFunction) -> Rule:
        return Rule(id, practice, title, why, severity, fix, example, url, check=check, yields_to=yields_to)

    return declare


def _ordered_rules() -> list[Rule]:
    from tfgen.validate.rules import audit, encryption, iam, secrets

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
