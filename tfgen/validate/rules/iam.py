"""`iam`: trust policies, public principals, malformed ARNs, iam:PassRole on any role, privilege escalation.

Policies are read alike from jsonencode, heredoc/JSON strings, file() and
aws_iam_policy_document (see `policies.py`). In a KMS key policy `Resource = "*"` means
"this key", so no rule here treats it as a wildcard; a wildcard principal is public in every
kind of policy unless a condition narrows who it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone

from tfgen.hcl.syntax import HclExpressionError, Text, parse_template
from tfgen.hcl.values import Expr, Template, references
from tfgen.validate.evaluate import Evaluator, Unknown, evaluator
from tfgen.validate.module import Module, Node
from tfgen.validate.policies import (
    IDENTITY,
    KEY,
    RESOURCE,
    TRUST,
    UNKNOWN,
    Condition,
    Policy,
    Statement,
    glob_match,
    module_policies,
)
from tfgen.validate.rules.core import Result, failed, passed, rule, skipped

PRACTICE = "iam"

# Services whose AWS page documents aws:SourceArn / aws:SourceAccount in the trust policy of the
# role the service assumes (cross-service confused deputy prevention): service principal -> page.
# A service is listed only where its own page says so for the role's trust; every other service's
# trust statement is not judged (TRUST_NOT_JUDGED says why for the common ones).
_DOCS = "https://docs.aws.amazon.com"
TRUST_DEPUTIES: dict[str, str] = {
    "proton.amazonaws.com": f"{_DOCS}/proton/latest/userguide/security_iam_service-role-policy-examples.html",
    "codebuild.amazonaws.com": f"{_DOCS}/codebuild/latest/userguide/cross-service-confused-deputy-prevention.html",
    "sagemaker.amazonaws.com": f"{_DOCS}/sagemaker/latest/dg/security-confused-deputy-prevention.html",
    "config.amazonaws.com": f"{_DOCS}/config/latest/developerguide/iamrole-permissions.html",
    "datasync.amazonaws.com": f"{_DOCS}/datasync/latest/userguide/cross-service-confused-deputy-prevention.html",
    "transfer.amazonaws.com": f"{_DOCS}/transfer/latest/userguide/confused-deputy.html",
    "scheduler.amazonaws.com": f"{_DOCS}/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html",
    "bedrock.amazonaws.com": f"{_DOCS}/bedrock/latest/userguide/cross-service-confused-deputy-prevention.html",
    "ssm.amazonaws.com": f"{_DOCS}/systems-manager/latest/userguide/cross-service-confused-deputy-prevention.html",
    "appsync.amazonaws.com": f"{_DOCS}/appsync/latest/devguide/cross-service-confused-deputy-prevention.html",
    "vpc-flow-logs.amazonaws.com": f"{_DOCS}/vpc/latest/userguide/flow-logs-iam-role.html",
    "states.amazonaws.com": f"{_DOCS}/step-functions/latest/dg/procedure-create-iam-role.html",
    "codedeploy.amazonaws.com": f"{_DOCS}/codedeploy/latest/userguide/security_confused_deputy.html",
    "logs.amazonaws.com": f"{_DOCS}/AmazonCloudWatch/latest/logs/Subscriptions-confused-deputy.html",
    "personalize.amazonaws.com": f"{_DOCS}/personalize/latest/dg/cross-service-confused-deputy-prevention.html",
    "autoscaling.amazonaws.com": f"{_DOCS}/autoscaling/ec2/userguide/cross-service-confused-deputy-prevention.html",
    "appstream.amazonaws.com": f"{_DOCS}/appstream2/latest/developerguide/example-fleet-machine.html",
    "controltower.amazonaws.com": f"{_DOCS}/controltower/latest/userguide/conditions-for-role-trust.html",
}
# Service principals whose role trust is explicitly not judged, with the reason: the service does
# not put these keys in the request it assumes the role with, so a condition on them would lock
# the service out (or AWS documents none for the role). Any service in neither list is not judged
# either: no AWS page tfgen knows documents the keys for its role's trust.
TRUST_NOT_JUDGED: dict[str, str] = {
    "ec2.amazonaws.com": "an instance profile's role: EC2 assumes it for the instance and documents no "
    "aws:SourceArn/aws:SourceAccount for it (the role cannot be passed to another account's instance)",
    "lambda.amazonaws.com": "a function's execution role: Lambda documents no aws:SourceArn/aws:SourceAccount "
    "for the execution role's trust (the function's ARN reaches the role's own calls as lambda:SourceFunctionArn)",
    "backup.amazonaws.com": "AWS Backup documents the keys for resource policies (vault SNS topics, keys), "
    "not for its service role's trust",
}
CONFUSED_DEPUTY_SERVICES = frozenset(TRUST_DEPUTIES)
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
    # the account, organization or path owning the VPC endpoint the request came through
    "aws:VpceAccount": f"{_GLOBAL_KEYS}#condition-keys-vpceaccount",
    "aws:VpceOrgID": f"{_GLOBAL_KEYS}#condition-keys-vpceorgid",
    "aws:VpceOrgPaths": f"{_GLOBAL_KEYS}#condition-keys-vpceorgpaths",
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
    why="A role that a service such as AWS Proton, CodeBuild, Step Functions or VPC Flow Logs assumes must "
    "say on whose behalf: add both `aws:SourceAccount` (your account) and `aws:SourceArn` (e.g. "
    "`arn:aws:proton:<region>:<account>:environment/*`) conditions to the trust statement, so "
    "another account cannot make the service assume your role (confused deputy). An `aws:SourceArn` "
    "whose ARN names the account is enough on its own, as AWS's page says; one without an account "
    "(an S3 bucket's ARN, `*` in the account field) needs `aws:SourceAccount` too. Judged for the services "
    "whose AWS page documents these keys in the role's trust (`TRUST_DEPUTIES` in "
    "`tfgen/validate/rules/iam.py`, each with its page); a trust statement for any other service "
    "(`ec2.amazonaws.com`, `lambda.amazonaws.com`, ...: `TRUST_NOT_JUDGED`) is not judged.",
    severity="high",
    fix="Add `aws:SourceAccount` and `aws:SourceArn` conditions to the service's trust statement.",
    example='condition {\n  test     = "StringEquals"\n  variable = "aws:SourceAccount"\n  values   = '
    '[data.aws_caller_identity.current.account_id]\n}\ncondition {\n  test     = "ArnLike"\n  variable = '
    '"aws:SourceArn"\n  values   = ["arn:aws:proton:eu-west-1:123456789012:environment/*"]\n}',
)
def TRUST_CONDITIONS(module: Module) -> Iterator[Result]:
    for policy in module_policies(module):
        yield from _trust(policy)


def _source_arns_name_an_account(statement: Statement) -> bool:
    """Does every aws:SourceArn value name an account (its fifth field written, not `*` or empty)?
    An interpolation there (`${data.aws_caller_identity.current.account_id}`) names one."""
    values = [v for c in statement.conditions if c.key.lower() == "aws:sourcearn" for v in c.values]
    fields = [str(v).split(":") for v in values if isinstance(v, (str, Template))]
    return bool(values) and len(fields) == len(values) and all(len(f) > 5 and f[4] not in ("", "*") for f in fields)


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
        if missing == ["aws:SourceAccount"] and _source_arns_name_an_account(statement):
            missing = []  # AWS's confused-deputy page: an aws:SourceArn holding the account id is enough
        if missing:
            yield failed(
                TRUST_CONDITIONS,
                policy.node,
                _line(policy, statement),
                f"trust statement for {', '.join(services)} has no {' and no '.join(missing)} condition "
                f"(documented: {TRUST_DEPUTIES[services[0].lower()]})",
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
        yield from _public(module, policy)


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


def principal_values(module: Module, statement: Statement) -> tuple[bool, Unknown | None]:
    """(an AWS principal of the statement is `*` by its value, why one's value is not known).

    `identifiers = var.principals` is read as Terraform would set it (a caller's argument,
    tfvars, the default); a variable nobody sets may be `*`, so it is not known. A value computed
    from what is known only after apply (`aws_iam_role.app.arn`, `format("arn:%s:iam::%s:root",
    ...)`) names a principal, never `*`."""
    public, unknown = False, None
    for kind, values in (statement.principals or {}).items():
        if kind not in ("*", "AWS"):
            continue
        for value in values:
            if not isinstance(value, (Expr, Template)):
                continue
            for known in module.values(value):
                for item in known if isinstance(known, list) else [known]:
                    if item == "*":
                        public = True
                    elif isinstance(item, Unknown) and item.input:
                        unknown = unknown or item
    return public, unknown


_NEGATED_OPERATORS = frozenset(
    {"stringnotequals", "stringnotequalsignorecase", "stringnotlike", "arnnotequals", "arnnotlike", "notipaddress"}
)


def _denied_to_outsiders(policy: Policy, statement: Statement) -> bool:
    """Does a Deny to every principal take `statement`'s grant back from everyone a narrowing key
    does not name (`Deny * s3:* when StringNotEquals aws:PrincipalOrgID o-...`, AWS's data perimeter
    pattern), or from everyone (no condition)? It must cover every action and resource of the grant."""
    if statement.not_actions or statement.not_resources:
        return False
    actions = [a for a in statement.actions if isinstance(a, str)]
    resources = [r for r in statement.resources if isinstance(r, str)]
    if len(actions) != len(statement.actions) or len(resources) != len(statement.resources):
        return False
    for deny in policy.statements:
        if deny.allows() or deny.unknown or deny.sometimes or not deny.is_public() or deny.not_principal:
            continue
        perimeter = all(
            c.operator.lower().removesuffix("ifexists") in _NEGATED_OPERATORS
            and c.key.lower() in _NARROWING
            and bool(c.values)
            and all(isinstance(v, str) and not set(v) <= set("*?") for v in c.values)
            for c in deny.conditions
        )
        if (
            perimeter
            and all(deny.covers_action(a) for a in actions)
            and (not resources or all(deny.covers_resource(r) for r in resources))
        ):
            return True
    return False


def _public(module: Module, policy: Policy) -> Iterator[Result]:
    if policy.kind == IDENTITY:
        return
    examined = False
    unknown: Unknown | None = None
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
        by_value, not_known = principal_values(module, statement)
        if _narrowed(statement) or _denied_to_outsiders(policy, statement):
            continue
        if statement.is_public() or by_value:
            what = "key policy" if policy.kind == KEY else "trust policy" if policy.kind == TRUST else "policy"
            yield failed(
                PUBLIC_PRINCIPAL,
                policy.node,
                _line(policy, statement),
                f'{what} allows Principal "*"{" (by its value)" if by_value and not statement.is_public() else ""} '
                f"with no narrowing condition{_not_narrowing(statement)}",
                resource=policy.resource,
            )
            return
        unknown = unknown or not_known
    if unknown is not None:
        reason = f"not evaluated: principals: {unknown.reason}"
        yield skipped(PUBLIC_PRINCIPAL, policy.node, reason, policy.line, resource=policy.resource)
    elif examined:
        yield passed(PUBLIC_PRINCIPAL, policy.node, policy.line, resource=policy.resource)


@rule(
    "TFGEN_IAM_4",
    PRACTICE,
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
    title="Policy allows iam:PassRole on any role",
    why="`iam:PassRole` on `*` lets the holder hand any role, including administrator roles, to a "
    "service: privilege escalation. Allow it only on the role ARNs the workload needs, with an "
    "`iam:PassedToService` condition. An unconditional Deny of it, in the same policy or in a policy "
    "attached to every principal holding it, takes the grant back.",
    severity="high",
    fix="Allow `iam:PassRole` only on the role ARNs the workload needs, with an `iam:PassedToService` condition.",
    example='actions   = ["iam:PassRole"]\nresources = [aws_iam_role.task.arn]\ncondition {\n  test     = '
    '"StringEquals"\n  variable = "iam:PassedToService"\n  values   = ["ecs-tasks.amazonaws.com"]\n}',
)
def PASS_ROLE_ANY(module: Module) -> Iterator[Result]:
    for policy in module_policies(module):
        yield from _pass_role(module, policy)


def _any_role(resource: object) -> bool:
    return resource == "*" or (
        isinstance(resource, str) and bool(re.search(r":role/\*$|^arn:[^:]*:iam::[^:]*:\*$", resource))
    )


def _pass_role(module: Module, policy: Policy) -> Iterator[Result]:
    if policy.kind not in (IDENTITY, UNKNOWN):
        return
    examined = False
    denials = denials_for(module, policy)
    for statement in policy.statements:
        if not statement.allows() or statement.principals is not None:
            continue
        if not statement.action_matches("iam:PassRole"):
            continue
        examined = True
        resources = ["*"] if statement.not_resources else statement.resources
        if any(_any_role(r) and not _denied(denials, "iam:PassRole", r) for r in resources):
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


# --- privilege escalation ---------------------------------------------------------------------
# The published escalation method lists: Rhino Security Labs' 21 methods (numbered as there),
# Bishop Fox's iam-vulnerable paths and hackingthe.cloud's technique list, which adds the
# services that run code as a passed role since.
ESCALATION_SOURCES = (
    "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
    "https://bishopfox.com/blog/privilege-escalation-in-aws",
    "https://hackingthe.cloud/aws/exploitation/iam_privilege_escalation/",
)
# Actions that alone let the holder raise its own rights when it may use them on any resource of
# their kind (`*`, or a pattern): action -> how.
ESCALATION_ACTIONS: dict[str, str] = {
    "iam:CreatePolicyVersion": "writes a new default version of a managed policy, one attached to itself included "
    "(Rhino 1)",
    "iam:SetDefaultPolicyVersion": "puts an older, broader version of a policy back in force (Rhino 2)",
    "iam:CreateAccessKey": "creates an access key for another user and acts as that user (Rhino 4)",
    "iam:CreateLoginProfile": "gives a user without one a console password and signs in as that user (Rhino 5)",
    "iam:UpdateLoginProfile": "changes another user's console password (Rhino 6)",
    "iam:AttachUserPolicy": "attaches AdministratorAccess to a user, itself included (Rhino 7)",
    "iam:AttachGroupPolicy": "attaches AdministratorAccess to a group it is in (Rhino 8)",
    "iam:AttachRolePolicy": "attaches AdministratorAccess to a role it can assume (Rhino 9)",
    "iam:PutUserPolicy": "writes an inline `*:*` policy into a user, itself included (Rhino 10)",
    "iam:PutGroupPolicy": "writes an inline `*:*` policy into a group it is in (Rhino 11)",
    "iam:PutRolePolicy": "writes an inline `*:*` policy into a role it can assume (Rhino 12)",
    "iam:AddUserToGroup": "adds itself to an administrators group (Rhino 13)",
    "iam:UpdateAssumeRolePolicy": "rewrites a role's trust policy to let itself assume the role (Rhino 14)",
}
# The kind of IAM resource each action is authorized on (its "Resource types" in the IAM service
# authorization reference): `iam:PutUserPolicy` on `role/*` names no user, so it grants nothing.
_RESOURCE_KIND = {
    "iam:createpolicyversion": "policy",
    "iam:setdefaultpolicyversion": "policy",
    "iam:createaccesskey": "user",
    "iam:createloginprofile": "user",
    "iam:updateloginprofile": "user",
    "iam:attachuserpolicy": "user",
    "iam:putuserpolicy": "user",
    "iam:attachgrouppolicy": "group",
    "iam:putgrouppolicy": "group",
    "iam:addusertogroup": "group",
    "iam:attachrolepolicy": "role",
    "iam:putrolepolicy": "role",
    "iam:updateassumerolepolicy": "role",
    "iam:passrole": "role",
}
# On `user/${aws:username}` these manage the holder's own credentials, AWS's documented
# self-service policy ("IAM: Allows IAM users to manage their own credentials"): no one else's.
SELF_SERVICE_ACTIONS = frozenset({"iam:createaccesskey", "iam:createloginprofile", "iam:updateloginprofile"})
_SELF = ("${aws:username}", "${aws:userid}")
# Actions that start code running as the role passed with iam:PassRole: action -> (the service the
# role is passed to, as `iam:PassedToService` names it; what runs, and where it is listed).
CODE_RUNNING_ACTIONS: dict[str, tuple[str, str]] = {
    "lambda:CreateFunction": ("lambda.amazonaws.com", "a function (Rhino 15, 16)"),
    "ec2:RunInstances": ("ec2.amazonaws.com", "an instance with the role's profile (Rhino 3)"),
    "glue:CreateDevEndpoint": ("glue.amazonaws.com", "a Glue development endpoint (Rhino 18)"),
    "glue:CreateJob": ("glue.amazonaws.com", "a Glue job (hackingthe.cloud)"),
    "cloudformation:CreateStack": ("cloudformation.amazonaws.com", "a stack that creates anything (Rhino 20)"),
    "datapipeline:CreatePipeline": ("datapipeline.amazonaws.com", "a data pipeline (Rhino 21)"),
    "sagemaker:CreateNotebookInstance": ("sagemaker.amazonaws.com", "a notebook (Bishop Fox)"),
    "sagemaker:CreateTrainingJob": ("sagemaker.amazonaws.com", "a training job (hackingthe.cloud)"),
    "sagemaker:CreateProcessingJob": ("sagemaker.amazonaws.com", "a processing job (hackingthe.cloud)"),
    "codebuild:CreateProject": ("codebuild.amazonaws.com", "a build project (Bishop Fox)"),
    "ecs:RegisterTaskDefinition": ("ecs-tasks.amazonaws.com", "an ECS task (Bishop Fox)"),
}
# Actions above that only define what would run: code runs once one of these is allowed too
# (registering a task definition starts no task; a build project runs when a build starts).
STARTED_BY: dict[str, tuple[str, ...]] = {
    "ecs:RegisterTaskDefinition": ("ecs:RunTask", "ecs:StartTask", "ecs:CreateService", "ecs:UpdateService"),
    "codebuild:CreateProject": ("codebuild:StartBuild", "codebuild:StartBuildBatch"),
    "glue:CreateJob": ("glue:StartJobRun", "glue:CreateTrigger"),
}
# Condition keys whose test holds for every request the holder makes itself: they narrow nothing
# about what it may do (`"Null": {"aws:TokenIssueTime": "false"}`: signed with temporary credentials).
_HOLDER_KEYS = frozenset(
    k.lower()
    for k in (
        "aws:SecureTransport",
        "aws:RequestedRegion",  # IAM is global
        "aws:MultiFactorAuthPresent",
        "aws:MultiFactorAuthAge",
        "aws:TokenIssueTime",
        "aws:UserAgent",
    )
)
_NEGATED = ("stringnot", "arnnot", "notipaddress")


def _past(value: object) -> bool:
    """Is `value` a date (ISO 8601 or epoch seconds) before now? (A past date stays past: a verdict
    resting on it never goes stale in the cache.)"""
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            moment = datetime.fromtimestamp(float(value), timezone.utc)
        elif isinstance(value, str) and value.strip().isdigit():
            moment = datetime.fromtimestamp(float(value), timezone.utc)
        elif isinstance(value, str):
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        else:
            return False
    except (ValueError, OverflowError, OSError):
        return False
    return moment < datetime.now(timezone.utc)


def narrows_nothing(condition: Condition) -> bool:
    """Does this condition hold for every request the policy's holder makes? A `Null` test, a key
    of the request itself (`_HOLDER_KEYS`), a date that has passed (`DateGreaterThan` 2020), a
    match against `*`. An unreadable condition narrows (tfgen never guesses a finding)."""
    operator, key = condition.operator.lower(), condition.key.lower()
    if "?" in (operator, key):
        return False
    if operator == "null" or key in _HOLDER_KEYS:
        return True
    strings = [v for v in condition.values if isinstance(v, str)]
    if key in ("aws:currenttime", "aws:epochtime"):
        return operator.startswith("dategreaterthan") and bool(condition.values) and all(map(_past, condition.values))
    like = operator.removeprefix("foranyvalue:") in ("stringlike", "arnlike")
    everything = bool(strings) and len(strings) == len(condition.values) and all(set(v) <= set("*?") for v in strings)
    return like and everything


def _texts(module: Module, values: Iterable[object]) -> list[str | None]:
    """Each resource as text, interpolations and policy variables masked as `\\0`; None where its
    value is not known (a resource's ARN: one named resource, never a pattern)."""
    out: list[str | None] = []
    for value in values:
        if isinstance(value, Expr):
            for known in module.values(value):
                for item in known if isinstance(known, list) else [known]:
                    out.append(item if isinstance(item, str) else None)
        elif isinstance(value, Template):
            for known in module.values(value):
                out.append(known if isinstance(known, str) else known.masked or value.text)
        elif isinstance(value, str):
            out.append(value)
        else:
            out.append(None)
    return out


def _broad(resource: str | None, action: str) -> bool:
    """Does `resource` (as written) stand for any resource of its kind: `*`, or a pattern in its
    resource part (`arn:aws:iam::*:policy/app-*`; a `*` in the account field alone names no more)?
    The holder's own user (`user/${aws:username}`) is not broad for its own credentials."""
    if resource is None:
        return False
    if action.lower() in SELF_SERVICE_ACTIONS and any(s in resource.lower() for s in _SELF):
        return False
    text = _placeholders(resource)
    if text.strip() == "*":
        return True
    fields = text.split(":", 5)
    if len(fields) < 6:
        return text.startswith("arn:") and text.endswith("*")
    # IAM refuses to change the policies of a service-linked role (`role/aws-service-role/...`):
    # an AWS-managed driver policy allowing iam:PutRolePolicy there escalates nothing
    # (terraform-aws-modules/terraform-aws-iam's FSx CSI policy, docs/accuracy.md)
    if fields[2] == "iam" and fields[5].startswith("role/aws-service-role/"):
        return False
    kind, slash, _ = fields[5].partition("/")
    wanted = _RESOURCE_KIND.get(action.lower())
    if fields[2] == "iam" and slash and wanted and not set(kind) & {"*", "?", "\0"} and kind != wanted:
        return False
    return bool(set(fields[5]) & {"*", "?"})


def _unconditional_denials(statements: Iterable[Statement]) -> list[Statement]:
    return [
        s
        for s in statements
        if not s.allows() and not s.conditions and not s.unknown and not s.sometimes and s.principals is None
    ]


@dataclass(frozen=True)
class Denials:
    """The unconditional Denies that take a policy's grant back: its own, and for each principal
    holding the policy (role, user, group), those of every policy attached to that principal. A
    grant is taken back by its own Deny, or by a Deny of every principal holding it."""

    own: list[Statement]
    holders: list[list[Statement]] = field(default_factory=list)


def _covered(denials: list[Statement], action: str, resource: str) -> bool:
    """Does an unconditional Deny cover `action` on every resource `resource` stands for? (`*` for
    an action on one kind of resource stands for every resource of that kind: `role/*` for iam:PassRole.)"""
    kind = _RESOURCE_KIND.get(action.lower())
    every = [resource] + ([f"arn:aws:iam::*:{kind}/*"] if resource.strip() == "*" and kind else [])
    return any(d.covers_action(action) and any(d.covers_resource(r) for r in every) for d in denials)


def _denied(denials: Denials, action: str, resource: str) -> bool:
    if _covered(denials.own, action, resource):
        return True
    return bool(denials.holders) and all(_covered(held, action, resource) for held in denials.holders)


def _granted(module: Module, statement: Statement, action: str, denials: Denials) -> list[str]:
    """The resources (as written) on which `statement` lets its holder use `action` broadly, with
    nothing narrowing it and no Deny taking it back; [] when none."""
    if (
        not statement.allows()
        or statement.principals is not None
        or not statement.action_matches(action)
        or not all(narrows_nothing(c) for c in statement.conditions if c.key.lower() != "iam:passedtoservice")
    ):
        return []
    resources = ["*"] if statement.not_resources else [r for r in _texts(module, statement.resources) if r is not None]
    return [r for r in resources if _broad(r, action) and not _denied(denials, action, r)]


def _passed_to(statement: Statement) -> list[str] | None:
    """The services a positive `iam:PassedToService` condition lets the role go to (globs); None: any."""
    for condition in statement.conditions:
        if condition.key.lower() != "iam:passedtoservice" or condition.operator.lower().startswith(_NEGATED):
            continue
        return [v for v in condition.values if isinstance(v, str)]
    return None


def _allowed(statements: list[Statement], action: str, denials: Denials) -> bool:
    return any(
        s.allows()
        and s.principals is None
        and s.action_matches(action)
        and all(narrows_nothing(c) for c in s.conditions)
        and not _denied(denials, action, "*")
        for s in statements
    )


def escalations(module: Module, statements: list[Statement], denials: Denials) -> list[tuple[Statement, str]]:
    """(statement, what it allows) for each escalation path in `statements`."""
    found: list[tuple[Statement, str]] = []
    for statement in statements:
        said: list[str] = []
        actions: list[str] = []
        on: list[str] = []
        for action in ESCALATION_ACTIONS:
            granted = _granted(module, statement, action, denials)
            if granted:
                actions.append(action)
                on.extend(r for r in granted if r not in on)
        if actions:
            more = f" and {len(actions) - 3} more" if len(actions) > 3 else ""
            said.append(f"{', '.join(actions[:3])}{more} on {_shown(on)}")
        granted = _granted(module, statement, "iam:PassRole", denials)
        if granted:
            services = _passed_to(statement)
            runs = [
                action
                for action, (service, _) in CODE_RUNNING_ACTIONS.items()
                if (services is None or any(glob_match(g, service) for g in services))
                and _allowed(statements, action, denials)
                and any(_allowed(statements, start, denials) for start in STARTED_BY.get(action, (action,)))
            ]
            if runs:
                more = ", ..." if len(runs) > 3 else ""
                said.append(f"iam:PassRole on {_shown(granted)} with {', '.join(runs[:3])}{more}")
        if said:
            found.append((statement, "; ".join(said)))
    return found


def _shown(resources: list[str]) -> str:
    """Resources for a message; a part known only at evaluation (masked as `\\0`) shows as `${...}`."""
    shown = [r.replace("\0", "${...}") for r in resources[:2]]
    return ", ".join(f"`{r}`" for r in shown) + (", ..." if len(resources) > 2 else "")


@rule(
    "TFGEN_IAM_5",
    PRACTICE,
    url=ESCALATION_SOURCES[0],
    title="Policy lets its holder escalate its own privileges",
    why="Some permissions let whoever holds them raise their own rights up to administrator, the methods "
    "published by Rhino Security Labs (" + ESCALATION_SOURCES[0] + "), Bishop Fox (" + ESCALATION_SOURCES[1] + ") "
    "and hackingthe.cloud (" + ESCALATION_SOURCES[2] + "): `iam:CreatePolicyVersion`, "
    "`iam:SetDefaultPolicyVersion`, `iam:Attach{User,Group,Role}Policy`, `iam:Put{User,Group,Role}Policy`, "
    "`iam:AddUserToGroup`, `iam:CreateAccessKey`, `iam:{Create,Update}LoginProfile` and "
    "`iam:UpdateAssumeRolePolicy` on `*` or on a pattern, and `iam:PassRole` on `*` or a pattern with an "
    "action that runs code as the passed role (`lambda:CreateFunction`, `ec2:RunInstances`, "
    "`glue:CreateDevEndpoint`, `glue:CreateJob`, `cloudformation:CreateStack`, "
    "`datapipeline:CreatePipeline`, `sagemaker:CreateNotebookInstance`, `codebuild:CreateProject`, "
    "`ecs:RegisterTaskDefinition`, ...). Wildcard actions (`iam:*`, `iam:Put*`, `*`) count. A condition "
    "narrows nothing when every request of the holder meets it: a `Null` test (`aws:TokenIssueTime`), "
    "`aws:MultiFactorAuthPresent`, `aws:SecureTransport`, `aws:RequestedRegion`, a `DateGreaterThan` a date "
    "that has passed, a match against `*`. An unconditional Deny that covers the action and resource takes "
    "the grant back: in the same policy, or in a policy attached to every principal holding it "
    "(`aws_iam_role_policy`, the policy attachments, `inline_policy`, `managed_policy_arns`, users and groups "
    "alike, in the same module). Credentials of the holder's own user "
    "(`user/${aws:username}`) are AWS's self-service pattern, not escalation.",
    severity="critical",
    fix="Name the policies, users, groups and roles the workload manages (or require a permissions "
    "boundary with an `iam:PermissionsBoundary` condition), and allow `iam:PassRole` only on the roles it passes.",
    example='actions   = ["iam:AttachRolePolicy"]\nresources = [aws_iam_role.app.arn]\ncondition {\n  test     = '
    '"ArnEquals"\n  variable = "iam:PolicyARN"\n  values   = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]\n}',
)
def PRIVILEGE_ESCALATION(module: Module) -> Iterator[Result]:
    for policy in module_policies(module):
        yield from _escalation(module, policy)


def _escalation(module: Module, policy: Policy) -> Iterator[Result]:
    if policy.kind not in (IDENTITY, UNKNOWN):
        return
    identity = [s for s in policy.statements if s.principals is None]
    if not any(s.allows() for s in identity):
        return
    found = escalations(module, identity, denials_for(module, policy))
    if found:
        statement, what = found[0]
        yield failed(
            PRIVILEGE_ESCALATION,
            policy.node,
            _line(policy, statement),
            f"allows {what}: its holder can raise its own privileges",
            resource=policy.resource,
        )
        return
    yield passed(PRIVILEGE_ESCALATION, policy.node, policy.line, resource=policy.resource)


# --- broad AWS managed policies --------------------------------------------------------------------
# AWS managed policies too broad to attach to a workload's role, user or group, by name, each with
# what it grants (the policy's page in the AWS Managed Policy Reference Guide:
# https://docs.aws.amazon.com/aws-managed-policy/latest/reference/<name>.html).
BROAD_MANAGED_POLICIES: dict[str, str] = {
    "AdministratorAccess": "every action on every resource: the whole account",
    "PowerUserAccess": "every action outside IAM and Organizations on every resource: all data, compute and keys",
    "IAMFullAccess": "iam:* on every resource: its holder can attach AdministratorAccess to itself",
    "SecretsManagerReadWrite": "reads and changes every secret in the account",
    "AWSOrganizationsFullAccess": "every Organizations action: moves accounts, rewrites service control policies",
    "AmazonS3FullAccess": "every action on every bucket and object of the account",
    "AmazonEC2FullAccess": "every EC2 action on every instance, volume, snapshot and security group",
    "AWSLambda_FullAccess": "every Lambda action on every function, and passes roles to them",
}
# Name patterns (fnmatch-style, the forms AWS names its managed policies in) -> what they grant.
BROAD_MANAGED_PATTERNS: dict[str, str] = {
    "*FullAccess": "every action of one service on every one of its resources",
    "*_FullAccess": "every action of one service on every one of its resources",
    "AdministratorAccess-*": "administers a whole service, creating IAM roles and passing them (Amplify, "
    "Elastic Beanstalk)",
}
_MANAGED_POLICY_PAGE = "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html"
# resource type -> the attribute naming the managed policy (or policies) it attaches
ATTACHMENTS: dict[str, str] = {
    "aws_iam_role_policy_attachment": "policy_arn",
    "aws_iam_user_policy_attachment": "policy_arn",
    "aws_iam_group_policy_attachment": "policy_arn",
    "aws_iam_policy_attachment": "policy_arn",
    "aws_iam_role": "managed_policy_arns",
    "aws_iam_role_policy_attachments_exclusive": "policy_arns",
    "aws_ssoadmin_managed_policy_attachment": "managed_policy_arn",
}


def broad_managed_policy(arn: str) -> str | None:
    """Why the AWS managed policy `arn` (`arn:<partition>:iam::aws:policy/[path/]Name`, interpolations
    masked as `\\0`) is too broad to attach, or None (another policy, or one that is not broad)."""
    fields = arn.split(":", 5)
    if len(fields) < 6 or fields[2] != "iam" or fields[4] != "aws" or not fields[5].startswith("policy/"):
        return None
    name = fields[5].rsplit("/", 1)[-1]
    if "\0" in name:
        return None
    if name in BROAD_MANAGED_POLICIES:
        return BROAD_MANAGED_POLICIES[name]
    return next((why for pattern, why in BROAD_MANAGED_PATTERNS.items() if glob_match(pattern, name)), None)


@rule(
    "TFGEN_IAM_6",
    PRACTICE,
    url=_MANAGED_POLICY_PAGE,
    title="Broad AWS managed policy attached to a role, user or group",
    why="AWS managed policies such as `AdministratorAccess`, `PowerUserAccess`, `IAMFullAccess`, "
    "`SecretsManagerReadWrite` and the `*FullAccess` family grant every action of the account or of a "
    "whole service on every resource: far more than a workload needs, and (IAMFullAccess, "
    "AdministratorAccess) the power to grant itself anything. Read from `aws_iam_role_policy_attachment`, "
    "`aws_iam_user_policy_attachment`, `aws_iam_group_policy_attachment`, `aws_iam_policy_attachment`, "
    "`aws_iam_role_policy_attachments_exclusive`, `aws_ssoadmin_managed_policy_attachment` and "
    '`managed_policy_arns`, through variables, locals, `for_each` and `data "aws_iam_policy"`; the list '
    "with each entry's reason is `BROAD_MANAGED_POLICIES` in `tfgen/validate/rules/iam.py`. A value tfgen "
    "cannot know (a variable nobody sets) is reported as not evaluated; the module's own `aws_iam_policy` is "
    "customer managed, never AWS managed. A Deny of every action on every resource attached to each "
    "principal the attachment names leaves the policy granting nothing and passes; a narrower Deny (`iam:*` "
    "beside `IAMFullAccess`) takes nothing back: tfgen does not hold the managed policies' documents to "
    "compare, and what the Deny leaves is still a whole service's worth.",
    severity="high",
    fix="Attach a customer managed policy that allows only the actions and resources the workload uses.",
    example='resource "aws_iam_role_policy_attachment" "app" {\n  role       = aws_iam_role.app.name\n  '
    "policy_arn = aws_iam_policy.app_least_privilege.arn\n}",
)
def BROAD_MANAGED_POLICY(module: Module) -> Iterator[Result]:
    for node in module.nodes:
        attribute = ATTACHMENTS.get(node.type) if node.kind == "resource" else None
        if attribute is None or attribute not in node.body:
            continue
        yield _attachment(module, node, attribute)


def _readings(module: Module) -> list[Evaluator]:
    """How to read a module's values: once per call where tfgen read its callers (each call's `count`
    goes with that call's lists), else as it stands."""
    return [evaluator(module, call) for _, call in module.callers] or [evaluator(module)]


def _attachment(module: Module, node: Node, attribute: str) -> Result:
    line = node.line_of(attribute)
    unknown: Unknown | None = None
    for reading in _readings(module):
        found = _attached(module, reading, node, attribute)
        if isinstance(found, Result):
            return found
        unknown = unknown or found
    if unknown is not None:
        return skipped(BROAD_MANAGED_POLICY, node, f"not evaluated: {attribute}: {unknown.reason}", line)
    return passed(BROAD_MANAGED_POLICY, node, line)


def _attached(module: Module, reading: Evaluator, node: Node, attribute: str) -> Result | Unknown | None:
    """A failure for a broad managed policy the attachment names as `reading` reads it, else why a
    value is not known (None: every value known, none broad)."""
    line = node.line_of(attribute)
    scopes, instances_unknown = _instances(reading, node)
    unknown: Unknown | None = None
    for scope in scopes or ([{}] if instances_unknown else []):
        for value in reading.values(node.body[attribute], scope):
            for arn in value if isinstance(value, list) else [value]:
                text = arn if isinstance(arn, str) else arn.masked if isinstance(arn, Unknown) else None
                if isinstance(arn, Unknown) and text is None:
                    text = _data_policy_arn(module, arn)
                why = broad_managed_policy(text) if text else None
                if why and denied_everything(module, node, attribute):
                    return passed(BROAD_MANAGED_POLICY, node, line)
                if why:
                    name = text.rsplit("/", 1)[-1]  # type: ignore[union-attr]
                    return failed(BROAD_MANAGED_POLICY, node, line, f"attaches the AWS managed policy {name}: {why}")
                if isinstance(arn, Unknown) and text is None and not _customer_managed(module, arn):
                    unknown = unknown or instances_unknown or arn
    return unknown


def _instances(reading: Evaluator, node: Node) -> tuple[list[dict[str, object]], Unknown | None]:
    """The scopes to read a resource's arguments in, one per instance (`each.key`/`each.value` of its
    `for_each`, `count.index` of its `count`), and why some instances cannot be known."""
    if "for_each" in node.body:
        scopes: list[dict[str, object]] = []
        for collection in reading.values(node.body["for_each"]):
            if isinstance(collection, dict):
                scopes.extend({"each": {"key": k, "value": v}} for k, v in collection.items())
            elif isinstance(collection, list):
                scopes.extend({"each": {"key": v, "value": v}} for v in collection)
            else:
                reason = collection.reason if isinstance(collection, Unknown) else "not a collection"
                return [], Unknown(f"for_each: {reason}")
        return scopes, None
    if "count" in node.body:
        counts = reading.values(node.body["count"])
        if not all(isinstance(c, int) and not isinstance(c, bool) for c in counts):
            reason = next((c.reason for c in counts if isinstance(c, Unknown)), "not a number")
            return [], Unknown(f"count: {reason}")
        return [{"count": {"index": i}} for i in range(max(counts, default=0))], None
    return [{}], None


def _data_policy_arn(module: Module, unknown: Unknown) -> str | None:
    """`data.aws_iam_policy.X.arn`: the ARN (or name) its `arn` or `name` argument gives."""
    for address in references(unknown.expr) if unknown.expr is not None else []:
        node = module.by_address.get(address)
        if node is None or node.kind != "data" or node.type != "aws_iam_policy":
            continue
        for key in ("arn", "name"):
            for value in module.values(node.body.get(key)) if key in node.body else []:
                text = value if isinstance(value, str) else value.masked if isinstance(value, Unknown) else None
                if text:
                    return text if key == "arn" else f"arn:aws:iam::aws:policy/{text}"
    return None


def _customer_managed(module: Module, unknown: Unknown) -> bool:
    """Is the value an attribute of a policy this configuration manages (`aws_iam_policy.app.arn`, also
    as the branch a condition chooses: `var.p == null ? aws_iam_policy.app.arn : var.p`)? Such a policy is
    customer managed whatever its ARN, never an AWS managed one."""
    chosen = module.by_address.get(unknown.address) if unknown.address else None
    if unknown.after_apply and chosen is not None and chosen.kind == "resource" and chosen.type == "aws_iam_policy":
        return True
    addresses = references(unknown.expr) if unknown.expr is not None else []
    return (
        unknown.after_apply
        and bool(addresses)
        and all(
            (found := module.by_address.get(a)) is not None
            and found.kind == "resource"
            and found.type == "aws_iam_policy"
            for a in addresses
        )
    )


# --- confused deputies in resource policies ---------------------------------------------------------
# Service principals whose AWS page documents aws:SourceArn / aws:SourceAccount in the resource
# policy (bucket, key, topic, queue, log resource policy) that lets the service in: principal -> page.
RESOURCE_DEPUTIES: dict[str, str] = {
    "cloudtrail.amazonaws.com": "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/"
    "cross-service-confused-deputy-prevention.html",
    "config.amazonaws.com": "https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html",
    "delivery.logs.amazonaws.com": "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/"
    "AWS-logs-and-resource-policy.html",
    "logging.s3.amazonaws.com": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html",
    "s3.amazonaws.com": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html",
    "events.amazonaws.com": "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html",
    "sns.amazonaws.com": "https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html",
    "ses.amazonaws.com": "https://docs.aws.amazon.com/ses/latest/dg/receiving-email-permissions.html",
    "guardduty.amazonaws.com": "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_exportfindings.html",
}
# Any one pins on whose behalf the service acts; in a key policy an encryption context naming the
# account's own resources (`kms:EncryptionContext:aws:cloudtrail:arn`) does too.
_SOURCE_KEYS = frozenset({"aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths"})
# Reading a key's or a bucket's metadata through the service gives another account's deputy
# nothing (AWS's CloudTrail key policy allows kms:DescribeKey, its bucket policy once allowed the
# ACL check, without a condition): only a grant that writes or reads data is judged.
_METADATA_ACTIONS = frozenset({"kms:describekey", "s3:getbucketacl", "s3:getbucketlocation", "s3:listbucket"})


@rule(
    "TFGEN_IAM_7",
    PRACTICE,
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html#cross-service-confused-deputy-prevention",
    title="Resource policy lets an AWS service in without aws:SourceArn or aws:SourceAccount (confused deputy)",
    why="A bucket, key, topic, queue or log resource policy that grants a service principal "
    "(`cloudtrail.amazonaws.com`, `config.amazonaws.com`, `delivery.logs.amazonaws.com`, "
    "`logging.s3.amazonaws.com`, `s3.amazonaws.com`, `events.amazonaws.com`, `sns.amazonaws.com`, "
    "`ses.amazonaws.com`, `guardduty.amazonaws.com`) lets that service act on the resource for any "
    "account: another account can point its trail, recorder or log delivery at your bucket or key. "
    "Each service's AWS page (`RESOURCE_DEPUTIES` in `tfgen/validate/rules/iam.py`) documents "
    "`aws:SourceArn`/`aws:SourceAccount` (or `aws:SourceOrgID`) for it; add one to the statement. Conditions "
    "built by an expression are reported as not evaluated.",
    severity="medium",
    fix="Add an `aws:SourceAccount` (or `aws:SourceArn`, `aws:SourceOrgID`) condition to the service's statement.",
    example='principals {\n  type        = "Service"\n  identifiers = ["cloudtrail.amazonaws.com"]\n}\n'
    'condition {\n  test     = "StringEquals"\n  variable = "aws:SourceArn"\n  values   = '
    '["arn:aws:cloudtrail:eu-west-1:123456789012:trail/org"]\n}',
)
def RESOURCE_DEPUTY(module: Module) -> Iterator[Result]:
    for policy in module_policies(module):
        if policy.kind in (RESOURCE, KEY):
            yield from _resource_deputy(policy)


def _resource_deputy(policy: Policy) -> Iterator[Result]:
    examined = False
    unknown = False
    for statement in policy.statements:
        services = sorted(s for s in statement.services() if s.lower() in RESOURCE_DEPUTIES)
        if not statement.allows() or not services or statement.not_actions:
            continue
        actions = [a for a in statement.actions if isinstance(a, str)]
        if actions and all(a.lower() in _METADATA_ACTIONS for a in actions):
            continue
        examined = True
        keys = statement.condition_keys()
        if "?" in keys:
            unknown = True
            continue
        context = policy.kind == KEY and any(k.startswith("kms:encryptioncontext:") for k in keys)
        if not keys & _SOURCE_KEYS and not context:
            yield failed(
                RESOURCE_DEPUTY,
                policy.node,
                _line(policy, statement),
                f"grants {', '.join(services)} with no aws:SourceArn, aws:SourceAccount or aws:SourceOrgID "
                f"condition (documented: {RESOURCE_DEPUTIES[services[0].lower()]})",
                resource=policy.resource,
            )
            return
    if unknown:
        yield skipped(RESOURCE_DEPUTY, policy.node, "not evaluated: conditions built by an expression", policy.line)
    elif examined:
        yield passed(RESOURCE_DEPUTY, policy.node, policy.line, resource=policy.resource)


# --- a Deny attached to the same principal ------------------------------------------------------
# Where a policy is attached to a principal in Terraform: resource type -> (attribute naming the
# policy or None for an inline policy, ((attribute naming principals, principal resource type), ...)).
POLICY_HOLDERS: dict[str, tuple[str | None, tuple[tuple[str, str], ...]]] = {
    "aws_iam_role_policy": (None, (("role", "aws_iam_role"),)),
    "aws_iam_user_policy": (None, (("user", "aws_iam_user"),)),
    "aws_iam_group_policy": (None, (("group", "aws_iam_group"),)),
    "aws_iam_role_policy_attachment": ("policy_arn", (("role", "aws_iam_role"),)),
    "aws_iam_user_policy_attachment": ("policy_arn", (("user", "aws_iam_user"),)),
    "aws_iam_group_policy_attachment": ("policy_arn", (("group", "aws_iam_group"),)),
    "aws_iam_policy_attachment": (
        "policy_arn",
        (("roles", "aws_iam_role"), ("users", "aws_iam_user"), ("groups", "aws_iam_group")),
    ),
    "aws_iam_role_policy_attachments_exclusive": ("policy_arns", (("role_name", "aws_iam_role"),)),
}
_UNKNOWN_HOLDER = "?"


def _principals_named(module: Module, value: object, kind: str) -> set[str]:
    """The principals of type `kind` an argument names, each as a key: `aws_iam_role.app.name` (and
    its `id`) is `aws_iam_role.app`; a name (`"app"`) is the module's role of that name, else
    `aws_iam_role:app`; a value tfgen cannot know is `?`."""
    names: dict[str, str] | None = module.memo.get(f"principal_names:{kind}")
    if names is None:
        names = module.memo[f"principal_names:{kind}"] = {}
        for node in module.of_kind("resource", kind):
            for known in module.values(node.body["name"]) if "name" in node.body else []:
                if isinstance(known, str):
                    names[known] = node.address
    out: set[str] = set()
    for known in module.values(value):
        for item in known if isinstance(known, list) else [known]:
            if isinstance(item, str):
                out.add(names.get(item, f"{kind}:{item}"))
            elif isinstance(item, Unknown) and item.after_apply and (item.address or "").startswith(f"{kind}."):
                out.add(item.address or _UNKNOWN_HOLDER)
            else:
                out.add(_UNKNOWN_HOLDER)
    return out


def _certainly_created(module: Module, node: Node) -> bool:
    """Does Terraform create at least one instance of `node` whatever value its count or for_each takes?"""
    if "count" in node.body:
        counts = module.values(node.body["count"])
        return all(isinstance(c, int) and not isinstance(c, bool) and c > 0 for c in counts)
    if "for_each" in node.body:
        return all(isinstance(c, (dict, list)) and len(c) > 0 for c in module.values(node.body["for_each"]))
    return True


def _holders_of_node(module: Module, node: Node, attribute: str | None, *, certain: bool = False) -> set[str]:
    """The principals holding the policy `node` writes in `attribute` (an aws_iam_policy: the
    principals it is attached to in the module; `?` where its ARN leaves the module, to an output
    or a module call, or goes through a value tfgen does not follow). With `certain`, only through
    attachments Terraform creates whatever the inputs (for a Deny that takes a grant back)."""
    if node.type == "aws_iam_role" and attribute == "inline_policy":
        return {node.address}
    spec = POLICY_HOLDERS.get(node.type)
    if spec is not None and spec[0] is None:
        return set().union(*(_principals_named(module, node.body.get(a), k) for a, k in spec[1] if a in node.body))
    if node.type != "aws_iam_policy":
        return set()
    out: set[str] = set()
    for referrer, used in module.referrers.get(node.address, []):
        if referrer.kind != "resource":
            out.add(_UNKNOWN_HOLDER)  # an output, a module call, a local: attached where tfgen does not look
            continue
        if certain and not _certainly_created(module, referrer):
            continue
        if referrer.type == "aws_iam_role" and used == "managed_policy_arns":
            out.add(referrer.address)
        spec = POLICY_HOLDERS.get(referrer.type)
        if spec is not None and spec[0] == used:
            for argument, kind in spec[1]:
                if argument in referrer.body:
                    out |= _principals_named(module, referrer.body[argument], kind)
    return out


def _holders(module: Module, policy: Policy, *, certain: bool = False) -> set[str]:
    """The principals holding `policy` in the module; a policy document, those of its users. With
    `certain`, only where the policy and its attachments exist whatever the inputs."""
    if certain and not _certainly_created(module, policy.node):
        return set()
    if policy.attribute is not None:
        return _holders_of_node(module, policy.node, policy.attribute, certain=certain)
    out: set[str] = set()
    for referrer, used in module.referrers.get(policy.node.address, []):
        if referrer.kind == "resource" and (POLICY_HOLDERS.get(referrer.type) or referrer.type == "aws_iam_policy"):
            if certain and not _certainly_created(module, referrer):
                continue
            used = "inline_policy" if used == "inline_policy" else used
            out |= _holders_of_node(module, referrer, used, certain=certain)
    return out


def denials_for(module: Module, policy: Policy) -> Denials:
    """`policy`'s own unconditional Denies, and those of the other policies attached to each principal
    holding it (aws_iam_role_policy, the attachments, `inline_policy`, `managed_policy_arns`, users and
    groups alike). A policy held by no principal of the module, or by one tfgen cannot name, has its own."""
    own = _unconditional_denials(s for s in policy.statements if s.principals is None)
    return Denials(own, _held_by(module, _holders(module, policy)))


def _held_by(module: Module, holders: set[str]) -> list[list[Statement]]:
    """For each principal of `holders`, the unconditional Denies of every policy attached to it; none
    when there is no holder or one tfgen cannot name (nothing is taken back then)."""
    if not holders or _UNKNOWN_HOLDER in holders:
        return []
    held: dict[str, list[Statement]] | None = module.memo.get("held_denials")
    if held is None:
        held = module.memo["held_denials"] = {}
        for other in module_policies(module):
            if other.kind not in (IDENTITY, UNKNOWN):
                continue
            denials = _unconditional_denials(s for s in other.statements if s.principals is None)
            for holder in _holders(module, other, certain=True) if denials else ():
                held.setdefault(holder, []).extend(denials)
    return [held.get(h, []) for h in sorted(holders)]


def _attachment_holders(module: Module, node: Node, attribute: str) -> set[str]:
    """The principals an attachment (or a role's `managed_policy_arns`) attaches its policies to."""
    if node.type == "aws_iam_role":
        return {node.address}
    spec = POLICY_HOLDERS.get(node.type)
    if spec is None or spec[0] != attribute:
        return set()
    return set().union(*(_principals_named(module, node.body[a], k) for a, k in spec[1] if a in node.body))


def denied_everything(module: Module, node: Node, attribute: str) -> bool:
    """Does a Deny of every action on every resource, attached to each principal the attachment
    names, leave the attached policy granting nothing?"""
    held = _held_by(module, _attachment_holders(module, node, attribute))
    return bool(held) and all(_covered(denials, "*", "*") for denials in held)


RULES = [
    TRUST_CONDITIONS,
    MALFORMED_ARN,
    PUBLIC_PRINCIPAL,
    PASS_ROLE_ANY,
    PRIVILEGE_ESCALATION,
    BROAD_MANAGED_POLICY,
    RESOURCE_DEPUTY,
]
