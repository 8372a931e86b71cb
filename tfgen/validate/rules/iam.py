"""`iam`: trust policies, public principals, malformed ARNs, iam:PassRole on any role.

Policies are read alike from jsonencode, heredoc/JSON strings, file() and
aws_iam_policy_document (see `policies.py`). In a KMS key policy `Resource = "*"` means
"this key", so no rule here treats it as a wildcard; a wildcard principal is public in every
kind of policy unless a condition narrows who it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tfgen.hcl.syntax import HclExpressionError, Text, parse_template
from tfgen.hcl.values import Template
from tfgen.validate.module import Module
from tfgen.validate.policies import IDENTITY, KEY, TRUST, UNKNOWN, Condition, Policy, Statement, module_policies
from tfgen.validate.rules.core import Result, failed, passed, rule

PRACTICE = "iam"

# Services whose role trust policies honour aws:SourceAccount and aws:SourceArn (each documents
# "cross-service confused deputy prevention" for its service role). Extend as AWS adds more.
CONFUSED_DEPUTY_SERVICES = frozenset(
    f"{name}.amazonaws.com"
    for name in (
        "proton",
        "codebuild",
        "sagemaker",
        "config",
        "datasync",
        "transfer",
        "scheduler",
        "bedrock",
        "ssm",
        "appsync",
    )
)
CONFUSED_DEPUTY_KEYS = ("aws:SourceAccount", "aws:SourceArn")

# Condition keys that narrow *who* a wildcard principal is: each pins the caller's account,
# organization, identity, network or the service acting for it, and is absent from (so a positive
# test on it excludes) an anonymous request. Every other key narrows nothing: the caller controls
# it or a caller in any account can satisfy it, e.g. aws:PrincipalTag/* and aws:PrincipalType (any
# account tags and types its own principals), aws:username (any account can create a user "alice"),
# aws:MultiFactorAuthPresent, aws:RequestedRegion, aws:CurrentTime, aws:SecureTransport,
# aws:CalledVia, aws:ViaAWSService, aws:ResourceAccount (the resource's account, not the caller's),
# aws:VpcSourceIp (a private address exists in every VPC), sts:ExternalId (the caller sends it;
# AWS: "the external ID is not a secret"), s3:prefix and other request parameters.
_GLOBAL_KEYS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"
_KMS_KEYS = "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html"
NARROWING_KEYS: dict[str, str] = {
    # the caller's account, organization and identity ("Properties of the principal")
    "aws:PrincipalAccount": f"{_GLOBAL_KEYS}#condition-keys-principalaccount",
    "aws:PrincipalArn": f"{_GLOBAL_KEYS}#condition-keys-principalarn",
    "aws:PrincipalOrgID": f"{_GLOBAL_KEYS}#condition-keys-principalorgid",
    "aws:PrincipalOrgPaths": f"{_GLOBAL_KEYS}#condition-keys-principalorgpaths",
    "aws:userid": f"{_GLOBAL_KEYS}#condition-keys-userid",
    # the service acting, and on whose behalf ("Properties of the role session", "cross-service")
    "aws:PrincipalServiceName": f"{_GLOBAL_KEYS}#condition-keys-principalservicename",
    "aws:PrincipalServiceNamesList": f"{_GLOBAL_KEYS}#condition-keys-principalservicenameslist",
    "aws:PrincipalIsAWSService": f"{_GLOBAL_KEYS}#condition-keys-principalisawsservice",  # Bool, true only
    "aws:SourceAccount": f"{_GLOBAL_KEYS}#condition-keys-sourceaccount",
    "aws:SourceArn": f"{_GLOBAL_KEYS}#condition-keys-sourcearn",
    "aws:SourceOrgID": f"{_GLOBAL_KEYS}#condition-keys-sourceorgid",
    "aws:SourceOrgPaths": f"{_GLOBAL_KEYS}#condition-keys-sourceorgpaths",
    "aws:SourceOwner": "https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html",
    # the network the request comes from ("Properties of the network")
    "aws:SourceIp": f"{_GLOBAL_KEYS}#condition-keys-sourceip",  # not 0.0.0.0/0 or ::/0
    "aws:SourceVpc": f"{_GLOBAL_KEYS}#condition-keys-sourcevpc",
    "aws:SourceVpce": f"{_GLOBAL_KEYS}#condition-keys-sourcevpce",
    "aws:SourceVpcArn": f"{_GLOBAL_KEYS}#condition-keys-sourcevpcarn",
    # service keys: a key policy's caller account and service, an S3 access point's owner
    "kms:CallerAccount": f"{_KMS_KEYS}#conditions-kms-caller-account",
    "kms:ViaService": f"{_KMS_KEYS}#conditions-kms-via-service",
    "s3:DataAccessPointAccount": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html",
    "s3:DataAccessPointArn": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html",
}
_NARROWING = frozenset(k.lower() for k in NARROWING_KEYS)
# Operators that hold only when the key is present and matches (Conditions_* in the IAM
# condition operators reference). Negated operators (StringNotEquals, ArnNotLike, NotIpAddress)
# let in everyone else; `...IfExists` and `ForAllValues:` hold when the key is absent, as it is
# for an anonymous caller; `Null` asks only whether the key is there.
_POSITIVE_OPERATORS = frozenset(
    {"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike", "ipaddress", "bool"}
)
_ANY_ADDRESS = frozenset({"0.0.0.0/0", "::/0"})

_ARN = re.compile(
    r"^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc):([a-z0-9*?-]+):([a-z0-9*?-]*):(\d{12}|[*?]+|aws|):(.+)$"
)
# The same form where `\0` stands for an interpolation (`${partition}`, `${var.bucket}`, an IAM
# policy variable `$${aws:username}`): a field holding one is checked only in its literal text.
# An interpolation is taken to stand inside one field (a partition, region, account id, name),
# as every templated ARN in the repositories of docs/accuracy.md is written.
_ARN_TEMPLATE = re.compile(
    r"^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc|[a-z-]*\0[a-z\0-]*):([a-z0-9*?\0-]+):([a-z0-9*?\0-]*)"
    r":(\d{12}|[*?]+|aws|[\d\0]*\0[\d\0]*|):(.+)$"
)
# A sequence in literal text: an IAM policy variable (`${aws:username}`, written `$${aws:username}`
# in HCL), or what reads like one where the value is not a template
_SEQUENCE = re.compile(r"(?:\$\$?|%%?)\{[^}]*\}?")


def _is_assume(statement: Statement) -> bool:
    return statement.action_matches("sts:AssumeRole") or statement.action_matches("sts:AssumeRoleWithWebIdentity")


@rule(
    "TFGEN_IAM_1",
    PRACTICE,
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
    title="Service trust policy lacks aws:SourceAccount and aws:SourceArn (confused deputy)",
    why="A role that a service such as AWS Proton or CodeBuild assumes must say on whose behalf: "
    "add both `aws:SourceAccount` (your account) and `aws:SourceArn` (e.g. "
    "`arn:aws:proton:<region>:<account>:environment/*`) conditions to the trust statement, so "
    "another account cannot make the service assume your role (confused deputy).",
    severity="high",
    fix="Add `aws:SourceAccount` and `aws:SourceArn` conditions to the service's trust statement.",
    example='condition {\n  test     = "StringEquals"\n  variable = "aws:SourceAccount"\n  values   = '
    '[data.aws_caller_identity.current.account_id]\n}\ncondition {\n  test     = "ArnLike"\n  variable = '
    '"aws:SourceArn"\n  values   = ["arn:aws:proton:eu-west-1:123456789012:environment/*"]\n}',
)
def TRUST_CONDITIONS(module: Module) -> Iterator[Result]:
    for policy in module_policies(module):
        yield from _trust(policy)


def _trust(policy: Policy) -> Iterator[Result]:
    examined = False
    for statement in policy.statements:
        if not statement.allows() or not _is_assume(statement):
            continue
        services = sorted(s for s in statement.services() if s.lower() in CONFUSED_DEPUTY_SERVICES)
        if not services:
            continue
        examined = True
        keys = statement.condition_keys()
        if "?" in keys:
            continue  # conditions built by an expression: tfgen cannot see them
        missing = [k for k in CONFUSED_DEPUTY_KEYS if k.lower() not in keys]
        if missing:
            yield failed(
                TRUST_CONDITIONS,
                policy.node,
                _line(policy, statement),
                f"trust statement for {', '.join(services)} has no {' and no '.join(missing)} condition",
                resource=policy.resource,
            )
            return
    if examined:
        yield passed(TRUST_CONDITIONS, policy.node, policy.line, resource=policy.resource)


def _line(policy: Policy, statement: Statement) -> int:
    return statement.line if policy.attribute is None else policy.line


def _placeholders(value: str | Template) -> str:
    """`value`'s text with each interpolation and directive of a template, and each policy
    variable, replaced by `\\0`: the parts only known when the policy is evaluated."""
    if isinstance(value, str):
        return _SEQUENCE.sub("\0", value)
    try:
        parts = parse_template(value.text)
    except HclExpressionError:
        return _SEQUENCE.sub("\0", value.text)
    return "".join(_SEQUENCE.sub("\0", part.text) if isinstance(part, Text) else "\0" for part in parts)


def well_formed_arn(value: str | Template) -> bool:
    """Is `value` an ARN, checked only in its literal parts where it has interpolations?"""
    text = _placeholders(value)
    pattern = _ARN_TEMPLATE if "\0" in text else _ARN
    if pattern.match(text):
        return True
    missing = 5 - text.count(":")
    if missing <= 0:
        return False
    # `arn:aws:iam::${local.account_and_role}`: an interpolation ending the ARN may hold its missing fields
    if text.endswith("\0"):
        return bool(_ARN_TEMPLATE.match(text + ":\0" * missing))
    # `arn:aws:logs:*`: a `*` that ends a segment matches across the colons after it (IAM's
    # documentation of the Resource element), so it stands for the fields it leaves out; a
    # wildcard never names the service (a real-world false positive: docs/accuracy.md)
    service = text.split(":")[2] if missing <= 3 else ""
    return (
        text.endswith("*")
        and bool(service)
        and not set(service) & {"*", "?"}
        and bool(pattern.match(text + ":*" * missing))
    )


@rule(
    "TFGEN_IAM_2",
    PRACTICE,
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html",
    title="Policy names a malformed ARN",
    why="An ARN has the form `arn:<partition>:<service>:<region>:<account>:<resource>`. A malformed "
    "ARN (for example an extra colon, as in an AWS documentation example for Proton) never "
    "matches, so the statement silently grants or restricts nothing. An ARN with interpolations "
    "(`arn:${partition}:sqs:${region}:${account_id}:orders`) is checked in its literal parts.",
    severity="medium",
    fix="Write the ARN as `arn:<partition>:<service>:<region>:<account>:<resource>`.",
    example='resources = ["arn:aws:s3:::my-bucket/*"]',
)
def MALFORMED_ARN(module: Module) -> Iterator[Result]:
    for policy in module_policies(module):
        yield from _arns(policy)


def _arns(policy: Policy) -> Iterator[Result]:
    checked = False
    for statement in policy.statements:
        values: list[object] = list(statement.resources)
        for principal_values in (statement.principals or {}).values():
            values.extend(principal_values)
        for condition in statement.conditions:
            values.extend(condition.values)
        for value in values:
            if not isinstance(value, (str, Template)) or not str(value).startswith("arn:"):
                continue
            checked = True
            if not well_formed_arn(value):
                yield failed(
                    MALFORMED_ARN,
                    policy.node,
                    _line(policy, statement),
                    f"malformed ARN {str(value)!r}",
                    resource=policy.resource,
                )
                return
    if checked:
        yield passed(MALFORMED_ARN, policy.node, policy.line, resource=policy.resource)


@rule(
    "TFGEN_IAM_3",
    PRACTICE,
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
    title="Policy allows a wildcard principal without a narrowing condition (public)",
    why='`Principal = "*"` (or `{ AWS = "*" }`) grants access to anyone, including other AWS '
    "accounts and anonymous callers, unless a condition such as `aws:SourceArn`, "
    "`aws:SourceAccount`, `aws:PrincipalOrgID` or `kms:CallerAccount` narrows it (a positive test "
    "such as StringEquals or ArnLike, not a negated, `...IfExists` or `Null` one). Conditions a "
    "caller in any account can meet (`aws:PrincipalTag/...`, `aws:MultiFactorAuthPresent`, "
    "`aws:RequestedRegion`, `aws:SecureTransport`, `sts:ExternalId`, `s3:prefix`) narrow nothing. "
    "Name the principals, or add such a condition. An Allow with `NotPrincipal` is public too.",
    severity="critical",
    fix="Name the principals, or narrow the wildcard with a condition such as `aws:SourceAccount` or "
    "`aws:PrincipalOrgID`.",
    example='principals {\n  type        = "AWS"\n  identifiers = ["arn:aws:iam::123456789012:root"]\n}',
)
def PUBLIC_PRINCIPAL(module: Module) -> Iterator[Result]:
    for policy in module_policies(module):
        yield from _public(policy)


def narrows(condition: Condition) -> bool:
    """Does this condition exclude callers of other accounts and anonymous ones? (NARROWING_KEYS)"""
    operator, key = condition.operator.lower(), condition.key.lower()
    if "?" in (operator, key):
        return True  # built by an expression: tfgen cannot see it (never reported as public)
    operator = operator.removeprefix("foranyvalue:")
    if key not in _NARROWING or operator not in _POSITIVE_OPERATORS:
        return False
    values = [v.strip().lower() if isinstance(v, str) else v for v in condition.values]
    if operator == "bool":
        return key == "aws:principalisawsservice" and bool(values) and all(v in ("true", True) for v in values)
    if any(
        isinstance(v, str)
        and (v in _ANY_ADDRESS or (operator == "stringlike" or operator == "arnlike") and set(v) <= set("*?"))
        for v in values
    ):
        return False  # matches every caller
    return True


def _narrowed(statement: Statement) -> bool:
    return any(narrows(c) for c in statement.conditions)


def _not_narrowing(statement: Statement) -> str:
    """What the statement's conditions test, when it has some: a reader sees why they do not count."""
    shown = [f"{c.operator} {c.key}" for c in statement.conditions[:3]]
    more = ", ..." if len(statement.conditions) > 3 else ""
    return f"; its conditions narrow nothing: {', '.join(shown)}{more}" if shown else ""


def _public(policy: Policy) -> Iterator[Result]:
    if policy.kind == IDENTITY:
        return
    examined = False
    for statement in policy.statements:
        if statement.principals is None:
            continue
        examined = True
        if not statement.allows():
            continue
        if statement.not_principal:
            yield failed(
                PUBLIC_PRINCIPAL,
                policy.node,
                _line(policy, statement),
                "Allow with NotPrincipal grants everyone else",
                resource=policy.resource,
            )
            return
        if statement.is_public() and not _narrowed(statement):
            what = "key policy" if policy.kind == KEY else "trust policy" if policy.kind == TRUST else "policy"
            yield failed(
                PUBLIC_PRINCIPAL,
                policy.node,
                _line(policy, statement),
                f'{what} allows Principal "*" with no narrowing condition{_not_narrowing(statement)}',
                resource=policy.resource,
            )
            return
    if examined:
        yield passed(PUBLIC_PRINCIPAL, policy.node, policy.line, resource=policy.resource)


@rule(
    "TFGEN_IAM_4",
    PRACTICE,
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
    title="Policy allows iam:PassRole on any role",
    why="`iam:PassRole` on `*` lets the holder hand any role, including administrator roles, to a "
    "service: privilege escalation. Allow it only on the role ARNs the workload needs, with an "
    "`iam:PassedToService` condition.",
    severity="high",
    fix="Allow `iam:PassRole` only on the role ARNs the workload needs, with an `iam:PassedToService` condition.",
    example='actions   = ["iam:PassRole"]\nresources = [aws_iam_role.task.arn]\ncondition {\n  test     = '
    '"StringEquals"\n  variable = "iam:PassedToService"\n  values   = ["ecs-tasks.amazonaws.com"]\n}',
)
def PASS_ROLE_ANY(module: Module) -> Iterator[Result]:
    for policy in module_policies(module):
        yield from _pass_role(policy)


def _any_role(resource: object) -> bool:
    return resource == "*" or (
        isinstance(resource, str) and bool(re.search(r":role/\*$|^arn:[^:]*:iam::[^:]*:\*$", resource))
    )


def _pass_role(policy: Policy) -> Iterator[Result]:
    if policy.kind not in (IDENTITY, UNKNOWN):
        return
    examined = False
    for statement in policy.statements:
        if not statement.allows() or statement.principals is not None:
            continue
        if not statement.action_matches("iam:PassRole"):
            continue
        examined = True
        if statement.not_resources or any(_any_role(r) for r in statement.resources):
            yield failed(
                PASS_ROLE_ANY,
                policy.node,
                _line(policy, statement),
                "iam:PassRole is allowed on every role",
                resource=policy.resource,
            )
            return
    if examined:
        yield passed(PASS_ROLE_ANY, policy.node, policy.line, resource=policy.resource)


RULES = [TRUST_CONDITIONS, MALFORMED_ARN, PUBLIC_PRINCIPAL, PASS_ROLE_ANY]
