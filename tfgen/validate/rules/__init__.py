"""tfgen's own rules: python-hcl2 readings of what checkov misses or gets wrong.

Each practice module declares its `RULES` and a `check(module)` generator of `Result`s. A `Rule`
is the whole description of a check: tfgen's registry of checks (`tfgen.validate.registry`)
reads everything else from it (practice of the id, SARIF help, README tables, `tfgen list-checks`),
so a new rule is a `Rule` in its practice's module, its results in that module's `check`, and its
cases under tests/corpus/<practice>/ keyed by its id (see docs/architecture.md).
A rule reports `passed` for what it examined and found fine, `failed` otherwise, so every
rule shows up in the report's counts and in JUnit even on a clean tree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

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


def passed(rule: Rule, node: Node, line: int | None = None, message: str | None = None, resource: str | None = None) -> Result:
    return Result(rule, PASSED, node, line or node.line, message, resource)


def failed(rule: Rule, node: Node, line: int | None = None, message: str | None = None, resource: str | None = None) -> Result:
    return Result(rule, FAILED, node, line or node.line, message, resource)


def skipped(rule: Rule, node: Node, reason: str, line: int | None = None, resource: str | None = None) -> Result:
    return Result(rule, SKIPPED, node, line or node.line, None, resource, reason)


def _checkers() -> list[tuple[list[Rule], Callable[[Module], Iterable[Result]]]]:
    from tfgen.validate.rules import audit, encryption, iam, secrets

    return [(m.RULES, m.check) for m in (iam, secrets, encryption, audit)]


def all_rules() -> dict[str, Rule]:
    return {rule.id: rule for rules, _ in _checkers() for rule in rules}


def run_rules(module: Module) -> Iterator[Result]:
    for _, check in _checkers():
        yield from check(module)
