"""`encryption`: customer managed keys, not AWS managed ones; TLS-only buckets.

checkov's CKV_AWS_145 passes `aws:kms` without a key id (that is the AWS managed key
aws/s3), and no checkov check looks for a bucket policy that denies non-TLS requests
(CKV_AWS_379 only looks at ACLs). These rules cover both, plus AWS managed key aliases
(`alias/aws/sns`, ...) named wherever a KMS key belongs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from tfgen.hcl.values import Expr, Template, references, traversals
from tfgen.validate.evaluate import Evaluator, Unknown, blocks, expand_blocks
from tfgen.validate.module import Module, Node
from tfgen.validate.policies import Statement, statements_of_value
from tfgen.validate.rules.core import Result, failed, passed, rule, skipped

PRACTICE = "encryption"


_AWS_MANAGED = re.compile(r"(^|:)alias/aws/")
_KMS_ATTRIBUTE = re.compile(
    r"(^|_)kms_(master_)?key(_id|_arn|_identifier)?$|^key_id$|^encryption_key(_arn)?$|^kms_key_name$"
)


def _bucket_names(value: Expr | Template) -> list[str]:
    """The `aws_s3_bucket` resources an expression refers to, by name."""
    return [names[1] for names in traversals(value) if len(names) > 1 and names[0] == "aws_s3_bucket"]


def _bucket_targets(module: Module, value: Any) -> tuple[set[str], set[str]]:
    """(bucket resource names referenced, literal bucket names) in an expression/literal."""
    value = module.resolve(value)
    names: set[str] = set()
    literals: set[str] = set()
    if isinstance(value, str):
        literals.add(value)
    elif isinstance(value, (Expr, Template)):
        names.update(_bucket_names(value))
    return names, literals


def log_targets(module: Module) -> tuple[frozenset[str], frozenset[str]]:
    """(bucket resource names, literal bucket names) that are server access log targets: read once
    per module (TFGEN_ENC_1 and each CKV_AWS_145 correction ask; the policies are parsed here)."""
    memo = module.memo.get("log_targets")
    if memo is None:
        memo = module.memo["log_targets"] = _read_log_targets(module)
    return memo


def _read_log_targets(module: Module) -> tuple[frozenset[str], frozenset[str]]:
    names: set[str] = set()
    literals: set[str] = set()
    for node in module.resources("aws_s3_bucket_logging"):
        n, lit = _bucket_targets(module, node.body.get("target_bucket"))
        names |= n
        literals |= lit
    for node in module.resources("aws_s3_bucket"):
        for logging in blocks(node.body.get("logging")):
            n, lit = _bucket_targets(module, logging.get("target_bucket"))
            names |= n
            literals |= lit
    # A bucket S3's log delivery group may write to by ACL (the legacy delivery: `log-delivery-write`,
    # or a WRITE grant to the LogDelivery group) is a log target too (trivy-checks AWS-0132's examples).
    for node in module.resources("aws_s3_bucket"):
        if _acl_lets_log_delivery_write(node.body):
            names.add(node.name)
    for node in module.resources("aws_s3_bucket_acl"):
        if _acl_lets_log_delivery_write(node.body):
            n, lit = _bucket_targets(module, node.body.get("bucket"))
            names |= n
            literals |= lit
    # A bucket whose own policy lets S3's log delivery put objects is a log target whoever logs to
    # it (a log-bucket module's callers do: trussworks/terraform-aws-logs, docs/accuracy.md).
    for policy in module.resources("aws_s3_bucket_policy"):
        for statements in statements_of_value(policy.body.get("policy"), module, policy.line_of("policy")):
            if any(_allows_s3_log_delivery(s) for s in statements):
                n, lit = _bucket_targets(module, policy.body.get("bucket"))
                names |= n
                literals |= lit
    return frozenset(names), frozenset(literals)


_LOG_DELIVERY_GROUP = "http://acs.amazonaws.com/groups/s3/LogDelivery"


def _acl_lets_log_delivery_write(body: dict[str, Any]) -> bool:
    """`acl = "log-delivery-write"`, or a grant of WRITE (or FULL_CONTROL) to the LogDelivery group, in
    an `aws_s3_bucket` (its `grant` blocks) or an `aws_s3_bucket_acl` (its `access_control_policy`)."""
    if body.get("acl") == "log-delivery-write":
        return True
    grants = [(g.get("uri"), g.get("permissions")) for g in blocks(body.get("grant"))]
    for policy in blocks(body.get("access_control_policy")):
        for grant in blocks(policy.get("grant")):
            for grantee in blocks(grant.get("grantee")):
                grants.append((grantee.get("uri"), [grant.get("permission")]))
    return any(
        uri == _LOG_DELIVERY_GROUP and isinstance(permissions, list) and {"WRITE", "FULL_CONTROL"} & set(permissions)
        for uri, permissions in grants
    )


def _allows_s3_log_delivery(statement: Statement) -> bool:
    services = (statement.principals or {}).get("Service", [])
    return (
        statement.effect.lower() == "allow"
        and "logging.s3.amazonaws.com" in services
        and statement.action_matches("s3:PutObject")
    )


def _bucket_identity(module: Module, bucket: Node) -> tuple[str, str | None]:
    literal = module.resolve(bucket.body.get("bucket"))
    return bucket.name, literal if isinstance(literal, str) else None


def is_log_target(module: Module, names: AbstractSet[str], literals: AbstractSet[str], bucket_value: Any) -> bool:
    n, lit = _bucket_targets(module, bucket_value)
    if n & names:
        return True
    if lit & literals:
        return True
    for bucket in module.resources("aws_s3_bucket"):
        name, literal = _bucket_identity(module, bucket)
        if name in n and literal and literal in literals:
            return True
    return False


def _managed_key(value: Any) -> bool:
    """An AWS managed key: a literal alias/aws/..., or a template whose literal text names one
    (`arn:${partition}:kms:${region}:${account}:alias/aws/sns`) whatever its unknown parts are."""
    if isinstance(value, str):
        return bool(_AWS_MANAGED.search(value))
    return isinstance(value, Unknown) and value.masked is not None and bool(_AWS_MANAGED.search(value.masked))


def _not_known(value: Any) -> Unknown | None:
    """Why a key's value is not known, where the verdict depends on it. A resource's attribute
    (`aws_kms_key.x.arn`) or a bare variable nobody sets (`var.kms_key_arn`: a key its user
    chooses, followed into the call where tfgen reads one) names a key; an expression tfgen could
    not finish (a toggle nobody sets choosing between keys, a function) may be either."""
    return value if isinstance(value, Unknown) and not (value.after_apply or value.input) else None


@dataclass
class _Verdict:
    problem: str | None = None  # what is wrong, in one possible value
    unknown: Unknown | None = None  # else: why the verdict cannot be known
    sse_s3: bool = False  # the problem is AES256 (a log target's documented exception)


def _sse_verdict(module: Module | Evaluator, algorithm: Any, key: Any, scope: dict[str, Any] | None = None) -> _Verdict:
    """The verdict over every value the algorithm and key may have (two callers: each is seen)."""
    verdict = _Verdict()
    for algorithm_value in module.values(algorithm, scope):
        if isinstance(algorithm_value, Unknown):
            verdict.unknown = verdict.unknown or algorithm_value
        elif algorithm_value == "AES256":
            return _Verdict("AES256 is SSE-S3, not a customer managed KMS key", sse_s3=True)
        elif isinstance(algorithm_value, str) and algorithm_value.startswith("aws:kms"):
            for key_value in module.values(key, scope):
                if key_value is None or key_value == "":
                    return _Verdict(f"{algorithm_value} without a key id uses the AWS managed key aws/s3")
                if _managed_key(key_value):
                    shown = key_value if isinstance(key_value, str) else str(key_value.expr)
                    return _Verdict(f"{shown} is the AWS managed key")
                verdict.unknown = verdict.unknown or _not_known(key_value)
    return verdict


def _call_verdict(module: Module, algorithm: Any, key: Any, scope: dict[str, Any] | None = None) -> _Verdict:
    """`_sse_verdict` call by call in a called module: the algorithm one call sets and the key
    another call leaves unset are never one object (terraform-aws-s3-bucket's object module: one
    call sets aws:kms with its key, three set neither; docs/accuracy.md)."""
    if not module.callers:
        return _sse_verdict(module, algorithm, key, scope)
    verdicts = [_sse_verdict(Evaluator(module, call), algorithm, key, scope) for _, call in module.callers]
    return (
        next((v for v in verdicts if v.problem), None) or next((v for v in verdicts if v.unknown), None) or _Verdict()
    )


@rule(
    "TFGEN_ENC_1",
    PRACTICE,
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
    title="S3 encryption does not use a customer managed KMS key",
    why="`AES256` is SSE-S3, and `aws:kms` without `kms_master_key_id` silently uses the AWS "
    "managed key `aws/s3`: neither lets you control, audit or revoke access through a key "
    'policy. Use `sse_algorithm = "aws:kms"` with `kms_master_key_id` set to a customer '
    "managed key (and `bucket_key_enabled = true`). S3 server access log target buckets are "
    "the exception: log delivery does not support SSE-KMS, so SSE-S3 is reported as skipped there.",
    severity="medium",
    fix="Use `aws:kms` with a customer managed key in `kms_master_key_id`.",
    example='apply_server_side_encryption_by_default {\n  sse_algorithm     = "aws:kms"\n  kms_master_key_id = '
    "aws_kms_key.data.arn\n}\nbucket_key_enabled = true",
)
def SSE_NOT_CMK(module: Module) -> Iterator[Result]:
    names, literals = log_targets(module)
    for node in module.resources("aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket"):
        if node.type == "aws_s3_bucket":  # the legacy inline block, written or `dynamic`
            holders, unknown = expand_blocks(module, node.body, "server_side_encryption_configuration")
            if not holders and unknown is None:
                continue
            bucket_value: Any = Expr(f"aws_s3_bucket.{node.name}.id")
        else:
            holders, unknown = [(node.body, {})], None
            bucket_value = node.body.get("bucket")
        defaults: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for holder, scope in holders:
            rules, rules_unknown = expand_blocks(module, holder, "rule", scope)
            for sse_rule, rule_scope in rules:
                found, found_unknown = expand_blocks(
                    module, sse_rule, "apply_server_side_encryption_by_default", rule_scope
                )
                defaults.extend(found)
                unknown = unknown or found_unknown
            unknown = unknown or rules_unknown
        line = node.line_of("sse_algorithm")
        verdicts = [
            _call_verdict(module, d.get("sse_algorithm"), d.get("kms_master_key_id"), scope) for d, scope in defaults
        ]
        problem = next((v for v in verdicts if v.problem), None)
        unknown = unknown or next((v.unknown for v in verdicts if v.unknown), None)
        log_target = (
            problem is not None
            and problem.sse_s3
            and (
                is_log_target(module, names, literals, bucket_value)
                or _only_log_target_calls_use_sse_s3(module, defaults)
            )
        )
        if log_target:
            yield skipped(SSE_NOT_CMK, node, "S3 server access log target: log delivery does not support SSE-KMS", line)
        elif problem is not None:
            yield failed(SSE_NOT_CMK, node, line, problem.problem)
        elif unknown is not None:
            yield skipped(SSE_NOT_CMK, node, f"not evaluated: {unknown.reason}", line)
        elif verdicts:
            yield passed(SSE_NOT_CMK, node, line)
    for node in module.resources("aws_s3_object", "aws_s3_bucket_object"):
        algorithm = node.body.get("server_side_encryption")
        if algorithm is None:
            continue
        line = node.line_of("server_side_encryption")
        verdict = _call_verdict(module, algorithm, node.body.get("kms_key_id"))
        if verdict.problem:
            yield failed(SSE_NOT_CMK, node, line, verdict.problem)
        elif verdict.unknown:
            yield skipped(SSE_NOT_CMK, node, f"not evaluated: {verdict.unknown.reason}", line)
        else:
            yield passed(SSE_NOT_CMK, node, line)


def _only_log_target_calls_use_sse_s3(module: Module, defaults: list[tuple[dict[str, Any], dict[str, Any]]]) -> bool:
    """A module called several times whose SSE-S3 comes only from the calls whose bucket the
    caller makes a server access log target (`target_bucket = module.<call>.<output>`), as a
    module creating both the log bucket and the logged buckets does."""
    if not module.callers:
        return False
    for caller, call in module.callers:
        per_call = Evaluator(module, call)
        verdicts = [
            _sse_verdict(per_call, d.get("sse_algorithm"), d.get("kms_master_key_id"), scope) for d, scope in defaults
        ]
        problem = next((v for v in verdicts if v.problem), None)
        if problem is not None and not (problem.sse_s3 and _names_log_target(caller, call)):
            return False
    return True


def _names_log_target(caller: Module, call: Node) -> bool:
    """Does the caller use this call's output as a `target_bucket` (of its logging, or of another call's argument)?"""
    wanted = f"module.{call.name}."
    stack: list[tuple[str, Any]] = [(k, v) for node in caller.nodes for k, v in node.body.items()]
    while stack:
        key, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.items())
        elif isinstance(value, list):
            stack.extend((key, v) for v in value)
        elif key == "target_bucket" and isinstance(value, (Expr, Template)) and wanted in value.text:
            return True
    return False


def _denies_insecure_transport(statement: Statement) -> bool:
    if statement.effect.lower() != "deny" or statement.not_actions:
        return False
    if not statement.action_matches("s3:GetObject") or not statement.action_matches("s3:PutObject"):
        return False
    if statement.principals is not None and not statement.is_public():
        return False
    for condition in statement.conditions:
        if condition.key.lower() == "aws:securetransport" and condition.operator.lower() in ("bool", "boolifexists"):
            if any(v is False or (isinstance(v, str) and v.lower() == "false") for v in condition.values):
                return True
    return False


@rule(
    "TFGEN_ENC_2",
    PRACTICE,
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
    title="S3 bucket policy does not deny requests without TLS",
    why="Without a bucket policy statement that denies `s3:*` to `*` when "
    "`aws:SecureTransport` is `false`, clients may read and write the bucket over plain HTTP. "
    "Add such a Deny statement (and, ideally, deny `s3:TlsVersion` below 1.2). A bucket in a "
    "called module counts the policy its caller attaches (`aws_s3_bucket_policy` on `module.x.id`) "
    "or passes in (`source_policy_documents`).",
    severity="medium",
    fix="Add a bucket policy statement that denies `s3:*` when `aws:SecureTransport` is `false`.",
    example='statement {\n  effect  = "Deny"\n  actions = ["s3:*"]\n  principals {\n    type        = "*"\n    '
    'identifiers = ["*"]\n  }\n  resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]\n  '
    'condition {\n    test     = "Bool"\n    variable = "aws:SecureTransport"\n    values   = '
    '["false"]\n  }\n}',
)
def TLS_NOT_ENFORCED(module: Module) -> Iterator[Result]:
    policy_nodes = list(module.resources("aws_s3_bucket_policy"))
    for bucket in module.resources("aws_s3_bucket"):
        name, literal = _bucket_identity(module, bucket)
        values: list[tuple[Node, Any]] = []
        if "policy" in bucket.body:
            values.append((bucket, bucket.body["policy"]))
        for policy in policy_nodes:
            refs, literals = _bucket_targets(module, policy.body.get("bucket"))
            if name in refs or (literal is not None and literal in literals):
                values.append((policy, policy.body.get("policy")))
        alternatives: list[list[Statement]] = []
        for holder, value in values:
            alternatives.extend(statements_of_value(value, module, holder.line_of("policy")))
        if _denies(alternatives):
            yield passed(TLS_NOT_ENFORCED, bucket, bucket.line)
            continue
        unknown = next(
            (s.unknown for policy in alternatives for s in policy if s.unknown and _denies_insecure_transport(s)), None
        )
        if unknown:  # the only TLS deny is a dynamic statement whose for_each tfgen cannot know
            yield skipped(
                TLS_NOT_ENFORCED,
                bucket,
                f'not evaluated: the TLS deny is a dynamic "statement" whose for_each is not known: {unknown}',
            )
            continue
        if module.callers:  # what the module lacks, its callers may add: follow every call
            yield _through_callers(module, bucket, values, unreadable=bool(values) and not alternatives)
            continue
        if not values:
            yield failed(TLS_NOT_ENFORCED, bucket, bucket.line, "no bucket policy for this bucket in its module")
            continue
        if not alternatives:
            continue  # the policy is built by an expression tfgen cannot read
        holder = values[-1][0]
        yield failed(
            TLS_NOT_ENFORCED,
            bucket,
            bucket.line,
            f"the policy in {holder.address} has no Deny for aws:SecureTransport = false",
        )


def _denies(alternatives: list[list[Statement]]) -> bool:
    """A TLS deny Terraform generates whatever the values (not a dynamic statement a toggle may turn off)."""
    return any(
        _denies_insecure_transport(s) and not s.unknown and not s.sometimes
        for statements in alternatives
        for s in statements
    )


def _policy_variables(module: Module, value: Any, depth: int = 0) -> set[str]:
    """The variables a policy value is built from, through locals and policy documents."""
    names: set[str] = set()
    for address in references(value):
        kind, _, rest = address.partition(".")
        if kind == "var":
            names.add(rest)
        elif depth < 4 and kind == "local" and rest in module.locals:
            names |= _policy_variables(module, module.locals[rest][1], depth + 1)
        elif depth < 4 and address.startswith("data.aws_iam_policy_document.") and address in module.by_address:
            names |= _policy_variables(module, module.by_address[address].body, depth + 1)
    return names


def _attached(module: Module, bucket: Node, call: Node, target: Any) -> bool | None:
    """Is a caller's `aws_s3_bucket_policy` with this `bucket` on `bucket`? None: cannot be known."""
    # `module.x.out`, and `module.x[0].out` / `module.x["k"].out` of a call with count or for_each
    # (a real-world module's caller attached its TLS deny that way: docs/accuracy.md)
    found = traversals(target) if isinstance(target, (Expr, Template)) else []
    outputs = [names[2] for names in found if len(names) > 2 and names[:2] == ("module", call.name)]
    if not outputs:
        return False
    output = module.by_address.get(f"output.{outputs[0]}")
    value = output.body.get("value") if output is not None else None
    buckets = _bucket_names(value) if isinstance(value, (Expr, Template)) else []
    if not buckets:
        return None  # an output tfgen cannot follow (another module's, a lookup)
    return bucket.name in buckets


def _through_callers(module: Module, bucket: Node, values: list[tuple[Node, Any]], unreadable: bool) -> Result:
    """TFGEN_ENC_2 for a bucket whose module is called from modules tfgen read: a TLS deny may be
    attached by the caller (`aws_s3_bucket_policy` on `module.x.id`) or passed in to the module's
    own policy (`source_policy_documents = var.x`). Every call must give the bucket one; a call
    where it cannot be known is reported as not evaluated, never as passed."""
    variables: set[str] = set()
    for _, value in values:
        variables |= _policy_variables(module, value)
    problems: list[str] = []
    unknown: list[str] = []
    for caller, call in module.callers:
        where = f"module.{call.name} ({call.file.display}:{call.line})"
        found: list[list[Statement]] = []
        attached = False
        cannot_know = unreadable
        for name in sorted(variables & set(call.body)):
            if isinstance(caller.resolve(call.body[name]), (bool, int, float)):
                continue  # a toggle (`enforce_tls = false`), not a policy: the module's own statements saw its value
            passed_in = statements_of_value(call.body[name], caller, call.line_of(name))
            found.extend(passed_in)
            cannot_know = cannot_know or not passed_in
        for policy in caller.resources("aws_s3_bucket_policy"):
            on_bucket = _attached(module, bucket, call, caller.resolve(policy.body.get("bucket")))
            if on_bucket is False:
                continue
            attached = True
            statements = (
                statements_of_value(policy.body.get("policy"), caller, policy.line_of("policy")) if on_bucket else []
            )
            found.extend(statements)
            cannot_know = cannot_know or not statements
        if _denies(found):
            continue
        if cannot_know:
            unknown.append(where)
        elif values or attached:
            problems.append(
                f"no Deny for aws:SecureTransport = false in the bucket policy in its module nor at its call {where}"
            )
        else:
            problems.append(f"no bucket policy for this bucket in its module nor at its call {where}")
    if problems:
        return failed(TLS_NOT_ENFORCED, bucket, bucket.line, problems[0])
    if unknown:
        return skipped(
            TLS_NOT_ENFORCED,
            bucket,
            f"not evaluated: the bucket policy at its call {unknown[0]} is built by an expression tfgen cannot read",
        )
    return passed(TLS_NOT_ENFORCED, bucket, bucket.line)


@rule(
    "TFGEN_ENC_3",
    PRACTICE,
    url="https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html",
    title="AWS managed KMS key used where a customer managed key belongs",
    why="An `alias/aws/<service>` key is owned by AWS: its key policy cannot be changed, it "
    "cannot be shared or disabled, and its rotation is not yours to control. Create a customer "
    "managed key (with rotation) and reference it instead.",
    severity="medium",
    fix="Create a customer managed key with rotation and reference it instead of `alias/aws/<service>`.",
    example="kms_key_id = aws_kms_key.data.arn",
)
def AWS_MANAGED_KEY(module: Module) -> Iterator[Result]:
    for node in module.nodes:
        if node.kind not in ("resource", "module", "data"):
            continue
        examined = False
        bad: tuple[str, str] | None = None
        unknown: tuple[str, Unknown] | None = None
        stack: list[tuple[str, Any]] = list(node.body.items())
        while stack:
            key, value = stack.pop()
            if isinstance(value, dict):
                stack.extend(value.items())
                continue
            if isinstance(value, list):
                stack.extend((key, v) for v in value)
                continue
            if not _KMS_ATTRIBUTE.search(key):
                continue
            for possible in module.values(value):  # a toggle's default, tfvars, each caller: every value
                if _managed_key(possible):
                    bad = (key, possible if isinstance(possible, str) else str(possible.expr))
                elif _not_known(possible):
                    unknown = unknown or (key, possible)
                elif possible is not None:
                    examined = True
        if bad:
            yield failed(AWS_MANAGED_KEY, node, node.line_of(bad[0]), f"{bad[0]} = {bad[1]!r} is an AWS managed key")
        elif unknown:
            yield skipped(
                AWS_MANAGED_KEY, node, f"not evaluated: {unknown[0]}: {unknown[1].reason}", node.line_of(unknown[0])
            )
        elif examined:
            yield passed(AWS_MANAGED_KEY, node, node.line)


@rule(
    "TFGEN_ENC_4",
    PRACTICE,
    url="https://developer.hashicorp.com/terraform/language/backend/s3",
    title="S3 backend stores state without encryption",
    why="Terraform state holds every attribute of every resource, secrets included. Set "
    "`encrypt = true` and `kms_key_id` (a customer managed key) on the S3 backend.",
    severity="high",
    fix="Set `encrypt = true` and `kms_key_id` on the S3 backend.",
    example='backend "s3" {\n  encrypt    = true\n  kms_key_id = "arn:aws:kms:eu-west-1:123456789012:key/..."\n}',
)
def BACKEND_UNENCRYPTED(module: Module) -> Iterator[Result]:
    for node in module.of_kind("terraform"):
        for backend in blocks(node.body.get("backend")):
            s3 = backend.get("s3")
            if not isinstance(s3, dict) or "encrypt" not in s3:
                continue
            encrypt = module.resolve(s3.get("encrypt"))
            if encrypt is False or encrypt == "false":
                yield failed(
                    BACKEND_UNENCRYPTED,
                    node,
                    node.line_of("backend", "encrypt"),
                    "encrypt = false",
                    "terraform.backend.s3",
                )
            elif encrypt is True or encrypt == "true":
                yield passed(
                    BACKEND_UNENCRYPTED, node, node.line_of("backend", "encrypt"), resource="terraform.backend.s3"
                )


RULES = [SSE_NOT_CMK, TLS_NOT_ENFORCED, AWS_MANAGED_KEY, BACKEND_UNENCRYPTED]
