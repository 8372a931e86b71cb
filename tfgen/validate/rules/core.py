"""What a rule is: a `Rule` declared with `@rule(...)`, and the `Result`s its check yields."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tfgen.validate.module import Module, Node
from tfgen.validate.status import FAILED, PASSED, SKIPPED


@dataclass(frozen=True)
class Rule:
    id: str
    practice: str
    title: str  # what fails, one line
    why: str  # why it matters and what to change (SARIF help text, text report)
    severity: str  # one of registry.SEVERITIES (the registry refuses any other)
    fix: str  # how to fix it, one imperative sentence (JSON `remediation`)
    example: str  # Terraform that passes: the fix, written out
    url: str  # the page that explains what this rule asks (an AWS guide's, where one does)
    check: Callable[[Module], Iterable[Result]] = field(compare=False, repr=False)
    # Ids of rules that report the same problem more precisely: a failure of this rule at a
    # (file, line) where one of them failed is not reported twice (a literal AKIA... key under
    # `password` is a credential format, not also "a secret in a literal").
    yields_to: tuple[str, ...] = ()

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
