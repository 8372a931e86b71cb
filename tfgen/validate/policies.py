"""IAM policy documents, read alike from `jsonencode({...})`, heredoc or string JSON, and
`aws_iam_policy_document` data sources, into one `Statement` shape.

Where a policy lives decides how it is read: in a KMS key policy `Resource = "*"` means this
key, a trust policy's principals are who may assume the role, an identity policy has no
principal at all. `module_policies` finds every policy in a module with that context.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from tfgen.hcl.syntax import Call, HclExpressionError, Interpolation, Parens, parse_template
from tfgen.hcl.syntax import Node as SyntaxNode
from tfgen.hcl.values import Expr, Template, references
from tfgen.safe_read import read_regular
from tfgen.validate.evaluate import Unknown, blocks
from tfgen.validate.module import Module, Node, as_text, json_loads_template
from tfgen.validate.readfiles import FileCall, file_call, target

TRUST = "trust"
IDENTITY = "identity"
KEY = "key"
RESOURCE = "resource"  # bucket, topic, queue, secret ... policies
UNKNOWN = "unknown"  # a policy document whose use tfgen cannot see

# attribute holding a policy, by resource type -> kind
POLICY_ATTRIBUTES: dict[str, tuple[str, str]] = {
    "aws_iam_role": ("assume_role_policy", TRUST),
    "aws_iam_policy": ("policy", IDENTITY),
    "aws_iam_role_policy": ("policy", IDENTITY),
    "aws_iam_group_policy": ("policy", IDENTITY),
    "aws_iam_user_policy": ("policy", IDENTITY),
    "aws_ssoadmin_permission_set_inline_policy": ("inline_policy", IDENTITY),
    "aws_kms_key": ("policy", KEY),
    "aws_kms_key_policy": ("policy", KEY),
    "aws_kms_replica_key": ("policy", KEY),
    "aws_kms_external_key": ("policy", KEY),
    "aws_s3_bucket": ("policy", RESOURCE),
    "aws_s3_bucket_policy": ("policy", RESOURCE),
    "aws_s3_access_point": ("policy", RESOURCE),
    "aws_sns_topic": ("policy", RESOURCE),
    "aws_sns_topic_policy": ("policy", RESOURCE),
    "aws_sqs_queue": ("policy", RESOURCE),
    "aws_sqs_queue_policy": ("policy", RESOURCE),
    "aws_secretsmanager_secret": ("policy", RESOURCE),
    "aws_secretsmanager_secret_policy": ("policy", RESOURCE),
    "aws_ecr_repository_policy": ("policy", RESOURCE),
    "aws_efs_file_system_policy": ("policy", RESOURCE),
    "aws_backup_vault_policy": ("policy", RESOURCE),
    "aws_glacier_vault": ("access_policy", RESOURCE),
    "aws_cloudwatch_log_resource_policy": ("policy_document", RESOURCE),
    "aws_elasticsearch_domain_policy": ("access_policies", RESOURCE),
    "aws_opensearch_domain_policy": ("access_policies", RESOURCE),
    "aws_api_gateway_rest_api_policy": ("policy", RESOURCE),
    "aws_lambda_layer_version_permission": ("policy", RESOURCE),
    "aws_events_bus_policy": ("policy", RESOURCE),
    "aws_ecr_registry_policy": ("policy", RESOURCE),
}


@dataclass
class Condition:
    operator: str
    key: str
    values: list[Any]


@dataclass
class Statement:
    effect: str  # "Allow" | "Deny"
    principals: dict[str, list[Any]] | None  # {"AWS": [...], "Service": [...], "*": ["*"]}; None when absent
    not_principal: bool
    actions: list[Any]
    not_actions: bool
    resources: list[Any]
    not_resources: bool
    conditions: list[Condition]
    line: int
    sid: str | None = None
    # A `dynamic "statement"`: why tfgen cannot know whether Terraform generates it (its
    # `for_each` is Unknown), and whether some value of `for_each` (a caller, a toggle) generates none.
    unknown: str | None = None
    sometimes: bool = False

    def allows(self) -> bool:
        return self.effect.lower() == "allow"

    def action_matches(self, wanted: str) -> bool:
        """Does an action pattern of this statement cover `wanted` (e.g. "iam:PassRole")?"""
        if self.not_actions:
            return not any(glob_match(a, wanted) for a in self.actions if isinstance(a, str))
        return any(glob_match(a, wanted) for a in self.actions if isinstance(a, str))

    def covers_action(self, pattern: str) -> bool:
        """Does this statement's action list cover every action `pattern` (itself an action or a
        pattern such as `s3:*`) stands for? A pattern is covered by a pattern that matches its text."""
        if self.not_actions:
            overlap = (glob_match(pattern, a) or glob_match(a, pattern) for a in self.actions if isinstance(a, str))
            return not any(overlap)
        return any(isinstance(a, str) and glob_match(a, pattern) for a in self.actions)

    def covers_resource(self, resource: str) -> bool:
        """Does one of this statement's resources match every ARN `resource` (an ARN or a pattern) stands for?"""
        if self.not_resources:
            return False  # everything except some: which ones, is not worth the guess (the finding stays)
        return any(isinstance(r, str) and (r == "*" or glob_match(r, resource)) for r in self.resources)

    def condition_keys(self) -> set[str]:
        return {c.key.lower() for c in self.conditions}

    def is_public(self) -> bool:
        """A wildcard principal (anyone, any AWS account)."""
        if self.principals is None:
            return False
        for ptype, values in self.principals.items():
            if ptype in ("*", "AWS") and any(v == "*" for v in values):
                return True
        return False

    def services(self) -> list[str]:
        if not self.principals:
            return []
        return [v for v in self.principals.get("Service", []) if isinstance(v, str)]


@dataclass
class Policy:
    kind: str
    node: Node  # where it is written (the resource, or the aws_iam_policy_document)
    attribute: str | None  # the attribute holding it, None for a policy document
    statements: list[Statement] = field(default_factory=list)
    resource: str | None = None  # the address to report, when not the node's (a local)

    @property
    def line(self) -> int:
        return self.node.line_of(self.attribute) if self.attribute else self.node.line


def glob_match(pattern: str, value: str) -> bool:
    regex = "^" + re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".") + "$"
    return re.match(regex, value, re.IGNORECASE) is not None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def _principals(value: Any) -> dict[str, list[Any]] | None:
    if value is None:
        return None
    if value == "*":
        return {"*": ["*"]}
    if isinstance(value, dict):
        return {str(k): _as_list(v) for k, v in value.items()}
    return {"?": [value]}


def _conditions(value: Any) -> list[Condition]:
    out: list[Condition] = []
    if isinstance(value, dict):
        for operator, keyed in value.items():
            if isinstance(keyed, dict):
                for key, values in keyed.items():
                    out.append(Condition(str(operator), str(key), _as_list(values)))
            else:
                out.append(Condition(str(operator), "?", _as_list(keyed)))
    elif value is not None:
        out.append(Condition("?", "?", [value]))  # an expression: tfgen cannot see inside
    return out


def statements_from_json(document: Any, line: int) -> list[Statement] | None:
    """Statements of a JSON-shaped policy (already parsed); None if it is not one."""
    if not isinstance(document, dict):
        return None
    raw = document.get("Statement")
    if raw is None:
        return None if not document else []
    out: list[Statement] = []
    for item in _as_list(raw):
        if not isinstance(item, dict):
            continue
        principal_key = "NotPrincipal" if "NotPrincipal" in item else "Principal"
        action_key = "NotAction" if "NotAction" in item else "Action"
        resource_key = "NotResource" if "NotResource" in item else "Resource"
        effect = item.get("Effect", "Allow")
        out.append(
            Statement(
                effect=effect if isinstance(effect, str) else "Allow",
                principals=_principals(item.get(principal_key)),
                not_principal=principal_key == "NotPrincipal",
                actions=_as_list(item.get(action_key)),
                not_actions=action_key == "NotAction",
                resources=_as_list(item.get(resource_key)),
                not_resources=resource_key == "NotResource",
                conditions=_conditions(item.get("Condition")),
                line=line,
                sid=item.get("Sid") if isinstance(item.get("Sid"), str) else None,
            )
        )
    return out


# How many policy documents deep `source_policy_documents`/`override_policy_documents` are
# followed (`depth` counts documents). A real-world audit-log bucket policy merged its TLS deny
# four documents down (docs/accuracy.md); the earlier limit of 4 recursion steps (about two
# documents) reported it missing. Each document is read once per module (memo), so a document
# that sources itself, or many that source each other, cost one reading each.
MAX_DOCUMENT_CHAIN = 32


def statements_from_document(node: Node, module: Module, depth: int = 0) -> list[Statement]:
    """Statements of a `data "aws_iam_policy_document"`, with its source/override documents."""
    memo: dict[str, list[Statement]] = module.memo.setdefault("document_statements", {})
    if node.address in memo:  # read already, or being read (a cycle: Terraform refuses it)
        return list(memo[node.address])
    memo[node.address] = []
    out: list[Statement] = []
    for key in ("source_policy_documents", "source_json", "override_policy_documents", "override_json"):
        value = node.body.get(key)
        if value is not None:
            for policy in statements_of_value(value, module, node.line, depth):
                out.extend(policy)
    lines = node.file.lines
    search_from = node.line
    written: list[tuple[dict[str, Any], str | None, bool]] = [
        (b, None, False) for b in blocks(node.body.get("statement"))
    ]
    for dynamic in blocks(node.body.get("dynamic")):
        for generated in blocks(dynamic.get("statement")):
            present, absent, unknown = _generates(module, generated.get("for_each"))
            if present or unknown:  # a for_each that is empty whatever its value generates nothing
                written.extend((content, unknown, absent) for content in blocks(generated.get("content")))
    for statement, unknown, sometimes in written:
        line = node.line
        for number in range(search_from, min(node.end_line, len(lines)) + 1):
            if (
                re.match(r'\s*(statement\s*\{|dynamic\s+"statement")', lines[number - 1])
                or '"statement"' in lines[number - 1]
            ):
                line = number
                search_from = number + 1
                break
        read = _document_statement(statement, line, module.resolve)
        out.append(replace(read, unknown=unknown, sometimes=sometimes))
    memo[node.address] = out
    return list(out)


def _generates(module: Module, for_each: Any) -> tuple[bool, bool, str | None]:
    """(some value of `for_each` generates blocks, some generates none, why a value is not known)."""
    present = absent = False
    unknown: str | None = None
    for collection in module.values(for_each):
        if isinstance(collection, (list, dict)):
            present, absent = present or bool(collection), absent or not collection
        else:
            unknown = unknown or (
                collection.reason if isinstance(collection, Unknown) else "for_each is not a collection"
            )
    return present, absent, unknown


def _document_statement(statement: dict[str, Any], line: int, read: Callable[[Any], Any]) -> Statement:
    """One `statement` block (or the `content` of a `dynamic "statement"`), its values `read` through the
    module's variables and locals (`Module.resolve`) as an inline policy's are: `actions = var.actions`
    set to ["*"] by the caller is judged as ["*"]."""
    principals: dict[str, list[Any]] | None = None
    not_principal = False
    for key in ("principals", "not_principals"):
        for block in blocks(statement.get(key)):
            principals = principals or {}
            ptype = block.get("type")
            principals.setdefault(str(ptype) if isinstance(ptype, str) else "?", []).extend(
                _as_list(read(block.get("identifiers")))
            )
            not_principal = not_principal or key == "not_principals"
    conditions = [
        Condition(
            str(c.get("test", "?")) if isinstance(c.get("test"), str) else "?",
            str(c.get("variable", "?")) if isinstance(c.get("variable"), str) else "?",
            _as_list(read(c.get("values"))),
        )
        for c in blocks(statement.get("condition"))
    ]
    for dynamic in blocks(statement.get("dynamic")):
        if "condition" in dynamic:
            conditions.append(Condition("?", "?", []))  # generated conditions: tfgen cannot see them
        if "principals" in dynamic or "not_principals" in dynamic:
            principals = principals or {}
            principals.setdefault("?", []).append(None)  # generated principals: unknown, never assumed public
    effect = read(statement.get("effect", "Allow"))
    return Statement(
        effect=effect if isinstance(effect, str) else "Allow",
        principals=principals,
        not_principal=not_principal,
        actions=_as_list(
            read(statement.get("not_actions") if "not_actions" in statement else statement.get("actions"))
        ),
        not_actions="not_actions" in statement,
        resources=_as_list(
            read(statement.get("not_resources") if "not_resources" in statement else statement.get("resources"))
        ),
        not_resources="not_resources" in statement,
        conditions=conditions,
        line=line,
        sid=statement.get("sid") if isinstance(statement.get("sid"), str) else None,
    )


_DOCUMENT_REF = re.compile(
    r"data\.aws_iam_policy_document\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[[^\]]*\])?\.(?:minified_)?json"
)


def document_names(value: Any) -> list[str]:
    """Names of the policy documents an expression uses (`data.aws_iam_policy_document.X.json`)."""
    names: list[str] = []
    texts: list[str] = []

    def visit(item: Any) -> None:
        if isinstance(item, (Expr, Template)):
            texts.append(item.text)
        elif isinstance(item, list):
            for v in item:
                visit(v)
        elif isinstance(item, dict):
            for v in item.values():
                visit(v)

    visit(value)
    for text in texts:
        names.extend(_DOCUMENT_REF.findall(text))
    return names


def statements_of_value(value: Any, module: Module, line: int, depth: int = 0) -> list[list[Statement]]:
    """Every policy an attribute value may hold (a conditional may hold several)."""
    value = module.resolve(value)
    if isinstance(value, dict):
        parsed = statements_from_json(value, line)
        return [parsed] if parsed is not None else []
    text = as_text(value)
    if text is not None and text.lstrip().startswith("{"):
        document = json_loads_template(text)
        parsed = statements_from_json(document, line)
        return [parsed] if parsed is not None else []
    if isinstance(value, Template):  # `"${file(...)}"`, Terraform 0.11's way to write the call
        return _file_statements(value, module, line)
    if isinstance(value, Expr):
        out: list[list[Statement]] = []
        for name in document_names(value):
            node = module.by_address.get(f"data.aws_iam_policy_document.{name}")
            if node is not None and depth < MAX_DOCUMENT_CHAIN:
                out.append(statements_from_document(node, module, depth + 1))
        return out + _file_statements(value, module, line)
    if isinstance(value, list):
        out = []
        for item in value:
            out.extend(statements_of_value(item, module, line, depth))
        return out
    return []


def _file_statements(value: Expr | Template, module: Module, line: int) -> list[list[Statement]]:
    """The policy in the module's file that `value` reads, if it is a file call.

    readfiles' own reading of the call, so this reads exactly the paths whose bytes the group
    hashed into its cache key: a `%` or `\\` path read only here kept a cached PASS after the policy
    was made wide open (tests/test_validate_files_read.py::
    test_a_policy_file_is_read_only_where_its_bytes_are_in_the_cache_key)."""
    call = _file_call(value)
    if call is None or call.function not in ("file", "templatefile") or call.relative is None:
        return []
    if call.base != "module":
        return []
    document = _read_module_file(module, call.relative)
    parsed = statements_from_json(json_loads_template(document), line) if document is not None else None
    return [parsed] if parsed is not None else []


def _file_call(value: Expr | Template) -> FileCall | None:
    """The call `value` is, if it is one of readfiles.FUNCTIONS: written alone, in parentheses, or
    as a template that is one `${...}` (not an expression around one)."""
    node: SyntaxNode
    try:
        if isinstance(value, Template):
            parts = parse_template(value.text)
            if len(parts) != 1 or not isinstance(parts[0], Interpolation):
                return None
            node = parts[0].expr
        else:
            node = value.tree
    except (HclExpressionError, RecursionError):
        return None
    while isinstance(node, Parens):
        node = node.expr
    return file_call(node, value.text) if isinstance(node, Call) else None


def _read_module_file(module: Module, relative: str) -> str | None:
    """The policy file's text: the bytes the module-call group read and hashed into its cache key
    (`Module.reads`, so an edit during the run cannot pair a new verdict with the old key), else,
    for a module built outside validate's pipeline, read here under the same confinement."""
    read = module.reads.get(target(str(module.directory), relative))
    if read is not None:
        try:
            return read.data.decode("utf-8") if read.data is not None else None
        except UnicodeDecodeError:
            return None
    directory = module.directory
    path = (directory / relative).resolve()
    if directory.resolve() not in path.parents:
        return None
    try:  # the resolved path, never following a link swapped in since (nor blocking on a FIFO)
        return read_regular(path, 1024 * 1024, follow_symlinks=False).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def module_policies(module: Module) -> list[Policy]:
    """Every policy in the module, each once, with the context it is used in (read once per
    module: each iam rule asks for them)."""
    policies = module.memo.get("policies")
    if policies is None:
        policies = module.memo["policies"] = list(_module_policies(module))
    return policies


def _module_policies(module: Module) -> Iterator[Policy]:
    """Every policy in the module, each once, with the context it is used in.

    A policy written inline (jsonencode, heredoc, JSON string, file(), a local or a variable
    default it refers to) is reported at the attribute using it; an `aws_iam_policy_document`
    at the data source, read in the context of whatever uses it; a policy-looking local or
    module argument that no resource uses, where it is written.
    """
    used_documents: dict[str, set[str]] = {}
    consumed_locals: set[str] = set()
    ordered = [n for n in module.nodes if n.kind == "resource"] + [
        n for n in module.nodes if n.kind in ("module", "locals")
    ]
    for node in ordered:
        for attribute, kind, value in _policy_values(node):
            if node.kind == "locals" and attribute in consumed_locals:
                continue
            if isinstance(value, Expr):
                consumed_locals.update(a.split(".", 1)[1] for a in references(value) if a.startswith("local."))
            resolved = module.resolve(value)
            names = document_names(resolved)
            for name in names:
                used_documents.setdefault(name, set()).add(kind)
            if names:
                continue
            statements: list[Statement] = []
            for alternative in statements_of_value(value, module, node.line_of(attribute)):
                statements.extend(alternative)
            if statements:
                resource = f"local.{attribute}" if node.kind == "locals" else None
                yield Policy(kind, node, attribute, statements, resource)
    for node in module.of_kind("data", "aws_iam_policy_document"):
        kinds = used_documents.get(node.name, set())
        kind = next(iter(kinds)) if len(kinds) == 1 else UNKNOWN
        if not kinds:
            kind = _guess_kind(node, module)
        yield Policy(kind, node, None, statements_from_document(node, module))


def _policy_values(node: Node) -> Iterator[tuple[str, str, Any]]:
    if node.kind == "resource":
        spec = POLICY_ATTRIBUTES.get(node.type)
        if spec and spec[0] in node.body:
            yield spec[0], spec[1], node.body[spec[0]]
        if node.type == "aws_iam_role":
            for inline in blocks(node.body.get("inline_policy")):
                if "policy" in inline:
                    yield "inline_policy", IDENTITY, inline["policy"]
    elif node.kind in ("module", "locals"):
        for key, value in node.body.items():
            lowered = key.lower()
            if "policy" in lowered or "trust" in lowered:
                kind = TRUST if ("assume" in lowered or "trust" in lowered) else UNKNOWN
                yield key, kind, value


def _guess_kind(node: Node, module: Module) -> str:
    """A document used through a module input or a local: infer its use from its shape."""
    referrers = module.referrers.get(node.address, [])
    for referrer, attribute in referrers:
        if "assume_role" in attribute or "trust" in attribute:
            return TRUST
        if referrer.kind == "resource" and referrer.type.startswith("aws_kms"):
            return KEY
    name = node.name.lower()
    if "assume" in name or "trust" in name:
        return TRUST
    return UNKNOWN
