"""What the blueprint model is made of: `Expect`, a block and what it must say, and its common shapes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tfgen.init import facts

CLOUDTRAIL = "cloudtrail.amazonaws.com"
PROTON = "proton.amazonaws.com"
CODEBUILD = "codebuild.amazonaws.com"


@dataclass(frozen=True)
class Expect:
    """A block of `file` (a module's files relative to the module) and what it must say.

    `statements`: for a policy document, sid -> the statement's attributes (dotted paths);
    None for any other block. `nth`: which of the blocks with these labels (a provider's aliases).
    """

    file: str
    block: tuple[str, ...]
    attrs: Mapping[str, Any]
    statements: Mapping[str, Mapping[str, Any]] | None = field(default=None)
    nth: int = 0

    def under(self, directory: str) -> Expect:
        return Expect(f"{directory}/{self.file}", self.block, self.attrs, self.statements, self.nth)


def document(name: str, statements: Mapping[str, Mapping[str, Any]], attrs: Mapping[str, Any] | None = None) -> Expect:
    """The `aws_iam_policy_document` data source `name` of a module's main.tf: its statements by sid."""
    return Expect("main.tf", ("data", "aws_iam_policy_document", name), attrs or {}, statements)


def service_trust(principal: str, accounts: object, source_arns: object) -> dict[str, Any]:
    """A service may assume the role only for the source accounts and ARNs given (no confused deputy)."""
    return {
        "actions": ["sts:AssumeRole"],
        "principals.type": "Service",
        "principals.identifiers": [principal],
        "condition[0].test": "StringEquals",
        "condition[0].variable": "aws:SourceAccount",
        "condition[0].values": accounts,
        "condition[1].test": "ArnLike",
        "condition[1].variable": "aws:SourceArn",
        "condition[1].values": source_arns,
    }


def versions(file: str = "versions.tf") -> Expect:
    return Expect(
        file,
        ("terraform",),
        {
            "required_version": facts.REQUIRED_VERSION,
            "required_providers.aws.source": facts.PROVIDER_SOURCE,
            "required_providers.aws.version": facts.PROVIDER_VERSION,
        },
    )
