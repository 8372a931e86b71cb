"""AWS region names tfgen accepts, and the partition each belongs to.

A fixed list on purpose: a typo such as `eu-west1` must fail at `tfgen init`, not at apply.
Add a region here when AWS opens one.
"""

from __future__ import annotations

COMMERCIAL: frozenset[str] = frozenset(
    {
        "af-south-1",
        "ap-east-1",
        "ap-east-2",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        "ca-central-1",
        "ca-west-1",
        "eu-central-1",
        "eu-central-2",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "mx-central-1",
        "sa-east-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
    }
)
GOVCLOUD: frozenset[str] = frozenset({"us-gov-east-1", "us-gov-west-1"})
CHINA: frozenset[str] = frozenset({"cn-north-1", "cn-northwest-1"})


def partition_of(region: str) -> str | None:
    if region in COMMERCIAL:
        return "aws"
    if region in GOVCLOUD:
        return "aws-us-gov"
    if region in CHINA:
        return "aws-cn"
    return None
