"""`audit`: a CloudTrail trail that records every management API call.

checkov covers multi-region (CKV_AWS_67), log file validation (CKV_AWS_36), KMS
(CKV_AWS_35), SNS (CKV_AWS_252) and logging on (CKV_AWS_251). It does not look at event
selectors or global service events, and CKV2_AWS_10 fails a trail that names its log group
by ARN (tfgen corrects that finding; see `corrections.py`). These rules cover the rest.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tfgen.hcl.values import Expr
from tfgen.validate.evaluate import Unknown, blocks
from tfgen.validate.module import Module, Node
from tfgen.validate.rules.core import Result, Rule, failed, passed, rule, skipped

PRACTICE = "audit"


def _falsy(value: Any) -> bool:
    return value is False or value == "false"


@rule(
    "TFGEN_AUDIT_1",
    PRACTICE,
    url="https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-global-service-events",
    title="CloudTrail trail does not record global service events",
    why="`include_global_service_events = false` drops calls to global services such as IAM, STS "
    "and CloudFront: who changed a policy or assumed a role is no longer recorded. Leave it "
    "`true` (the default) on the multi-region trail.",
    severity="medium",
    fix="Leave `include_global_service_events = true` on the multi-region trail.",
    example="include_global_service_events = true",
)
def GLOBAL_EVENTS(module: Module) -> Iterator[Result]:
    for trail in module.resources("aws_cloudtrail"):
        yield from _global(module, trail)


def _global(module: Module, trail: Node) -> Iterator[Result]:
    values = module.values(trail.body.get("include_global_service_events"))  # each value a caller or toggle gives
    line = (
        trail.line_of("include_global_service_events") if "include_global_service_events" in trail.body else trail.line
    )
    unknown = next((v for v in values if isinstance(v, Unknown)), None)
    if any(_falsy(v) for v in values):
        yield failed(GLOBAL_EVENTS, trail, line, "include_global_service_events = false")
    elif unknown is not None:
        yield skipped(GLOBAL_EVENTS, trail, f"not evaluated: include_global_service_events: {unknown.reason}", line)
    elif all(v is None or v is True or v == "true" for v in values):
        yield passed(GLOBAL_EVENTS, trail, line)


def _field_values(selector: dict[str, Any], name: str) -> dict[str, list[Any]] | None:
    for field in blocks(selector.get("field_selector")):
        if field.get("field") == name:
            return {k: v if isinstance(v, list) else [v] for k, v in field.items() if k != "field"}
    return None


Coverage = tuple[bool | None, set[str], str]  # (records management events?, {"read", "write"} recorded, why not)


def _management_coverage(module: Module, trail: Node) -> Coverage:
    """(records management events?, {"read", "write"} recorded, why not); None = cannot tell (why: the
    value tfgen could not evaluate, or "" where it does not report one)."""
    basic = blocks(trail.body.get("event_selector"))
    advanced = blocks(trail.body.get("advanced_event_selector"))
    if not basic and not advanced:
        return True, {"read", "write"}, ""
    if advanced:
        return _advanced_coverage(advanced)
    return _basic_coverage(module, basic)


def _advanced_coverage(advanced: list[dict[str, Any]]) -> Coverage:
    """Advanced event selectors decide alone (CloudTrail takes one kind of selector or the other)."""
    covered: set[str] = set()
    any_management = False
    for selector in advanced:
        category = _field_values(selector, "eventCategory")
        if category is None or "Management" not in [str(v) for v in category.get("equals", [])]:
            continue
        source = _field_values(selector, "eventSource")
        if source:
            return False, set(), "the management selector filters eventSource"
        any_management = True
        read_only = _field_values(selector, "readOnly")
        if read_only is None or not read_only.get("equals"):
            covered |= {"read", "write"}
        else:
            values = {str(v).lower() for v in read_only["equals"]}
            if "true" in values:
                covered.add("read")
            if "false" in values:
                covered.add("write")
    if not any_management:
        return False, set(), "no advanced event selector has eventCategory = Management"
    return True, covered, ""


_READ_WRITE = {"All": {"read", "write"}, "ReadOnly": {"read"}, "WriteOnly": {"write"}}


def _basic_coverage(module: Module, basic: list[dict[str, Any]]) -> Coverage:
    covered: set[str] = set()
    any_management = False
    for selector in basic:
        include = _known(module, selector.get("include_management_events", True))
        if isinstance(include, Unknown):
            return None, set(), f"include_management_events: {include.reason}"
        if _falsy(include):
            continue
        excluded = selector.get("exclude_management_event_sources")
        if excluded:
            return (
                False,
                set(),
                "exclude_management_event_sources drops events from " + ", ".join(str(e) for e in excluded if e),
            )
        any_management = True
        kind = _known(module, selector.get("read_write_type", "All"))
        if isinstance(kind, Unknown):
            return None, set(), f"read_write_type: {kind.reason}"
        if not isinstance(kind, str):
            return None, set(), ""
        covered |= _READ_WRITE.get(kind, set())
    if not any_management:
        return False, set(), "every event_selector sets include_management_events = false"
    return True, covered, ""


def _known(module: Module, value: Any) -> Any:
    """The one value of an expression, or Unknown (several values: each caller's would need its own verdict)."""
    values = module.values(value)
    if len(values) != 1:
        return Unknown("it has several possible values (callers or tfvars give different ones)")
    return values[0]


def _selector_coverage(module: Module) -> list[tuple[Node, int, bool | None, set[str], str]]:
    """(trail, line, records management events?, {"read", "write"} recorded, why not) per trail
    whose selectors tfgen can read; None and the reason where a value is not evaluated. Read once
    per module: TFGEN_AUDIT_2, _3 and _4 each ask."""
    memo = module.memo.get("selector_coverage")
    if memo is None:
        memo = module.memo["selector_coverage"] = list(_read_selector_coverage(module))
    return memo


def _read_selector_coverage(module: Module) -> Iterator[tuple[Node, int, bool | None, set[str], str]]:
    for trail in module.resources("aws_cloudtrail"):
        records, covered, why = _management_coverage(module, trail)
        if records is None and not why:
            continue
        key = "advanced_event_selector" if "advanced_event_selector" in trail.body else "event_selector"
        yield trail, trail.line_of(key) if key in trail.body else trail.line, records, covered, why


@rule(
    "TFGEN_AUDIT_2",
    PRACTICE,
    url="https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html",
    title="CloudTrail event selectors drop management events",
    why="A trail records management events (the API calls that create, change and delete "
    "resources) unless its event selectors say otherwise. With basic selectors keep "
    "`include_management_events = true` and no `exclude_management_event_sources`; with "
    "advanced selectors keep a selector whose `eventCategory` equals `Management` without "
    "`eventSource` filters.",
    severity="high",
    fix="Keep `include_management_events = true` (or an advanced selector for the `Management` category).",
    example='event_selector {\n  read_write_type           = "All"\n  include_management_events = true\n}',
)
def MANAGEMENT_EVENTS(module: Module) -> Iterator[Result]:
    for trail, line, records, _, why in _selector_coverage(module):
        if records is None:
            yield skipped(MANAGEMENT_EVENTS, trail, f"not evaluated: {why}", line)
        else:
            yield passed(MANAGEMENT_EVENTS, trail, line) if records else failed(MANAGEMENT_EVENTS, trail, line, why)


@rule(
    "TFGEN_AUDIT_3",
    PRACTICE,
    url="https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html",
    title="CloudTrail event selectors drop write management events",
    why='`read_write_type = "ReadOnly"` (or an advanced selector with `readOnly` equal to '
    "`true`) keeps the harmless reads and drops every create, change and delete call. Use "
    '`read_write_type = "All"` (or no `readOnly` field).',
    severity="high",
    fix="Record `All` management events.",
    example='read_write_type = "All"',
)
def WRITE_EVENTS(module: Module) -> Iterator[Result]:
    return _recorded(WRITE_EVENTS, module, "write", "only read management events are recorded")


@rule(
    "TFGEN_AUDIT_4",
    PRACTICE,
    url="https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html",
    title="CloudTrail event selectors drop read management events",
    why='`read_write_type = "WriteOnly"` (or `readOnly` equal to `false`) drops Get/List/Describe '
    "calls, which are how reconnaissance and data access show up. Record `All` management events.",
    severity="medium",
    fix="Record `All` management events.",
    example='read_write_type = "All"',
)
def READ_EVENTS(module: Module) -> Iterator[Result]:
    return _recorded(READ_EVENTS, module, "read", "only write management events are recorded")


def _recorded(checked: Rule, module: Module, kind: str, problem: str) -> Iterator[Result]:
    """TFGEN_AUDIT_3/4: are `kind` ("read"/"write") management events recorded, per trail."""
    for trail, line, records, covered, why in _selector_coverage(module):
        if records is None:
            yield skipped(checked, trail, f"not evaluated: {why}", line)
        elif not records:
            continue  # no management events at all: TFGEN_AUDIT_2 says so
        elif kind in covered:
            yield passed(checked, trail, line)
        else:
            yield failed(checked, trail, line, problem)


@rule(
    "TFGEN_AUDIT_5",
    PRACTICE,
    url="https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html",
    title="CloudTrail CloudWatch Logs integration is incomplete",
    why="`cloud_watch_logs_group_arn` must be the log group ARN followed by `:*` (the "
    '`aws_cloudwatch_log_group` attribute `arn` has no `:*`: write `"${aws_cloudwatch_log_group.x.arn}:*"`), '
    "and `cloud_watch_logs_role_arn` must name the delivery role.",
    severity="low",
    fix="Append `:*` to the log group ARN and name the delivery role.",
    example='cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"\ncloud_watch_logs_role_arn  = '
    "aws_iam_role.trail_logs.arn",
)
def LOG_GROUP_ARN(module: Module) -> Iterator[Result]:
    for trail in module.resources("aws_cloudtrail"):
        yield from _log_group(module, trail)


def _log_group(module: Module, trail: Node) -> Iterator[Result]:
    if "cloud_watch_logs_group_arn" not in trail.body:
        return  # CKV2_AWS_10 reports a trail without CloudWatch Logs
    value = module.resolve(trail.body["cloud_watch_logs_group_arn"])
    line = trail.line_of("cloud_watch_logs_group_arn")
    problem = None
    if isinstance(value, str):
        if value and not value.endswith(":*"):
            problem = f"{value!r} does not end with ':*'"
    elif isinstance(value, Expr) and value.text.rstrip().endswith(".arn") and "aws_cloudwatch_log_group." in value.text:
        problem = "the log group's `arn` attribute has no ':*' suffix; append \":*\""
    if problem is None and "cloud_watch_logs_role_arn" not in trail.body:
        problem = "cloud_watch_logs_role_arn is missing"
    if problem:
        yield failed(LOG_GROUP_ARN, trail, line, problem)
    else:
        yield passed(LOG_GROUP_ARN, trail, line)


RULES = [GLOBAL_EVENTS, MANAGEMENT_EVENTS, WRITE_EVENTS, READ_EVENTS, LOG_GROUP_ARN]
