"""`secrets`: no literal credential anywhere in .tf, .tf.json or .tfvars.

Three readings: known credential formats in the raw text (so comments, heredocs, locals,
outputs, provider blocks and .tfvars are all covered) and in the files it reads with file(),
templatefile() or filebase64() (`readfiles`); literal values under names meant for
secrets (password, token, private_key, ... at any depth, including jsonencode objects, JSON
written as text and ECS-style `{ name = "DB_PASSWORD", value = "..." }` pairs, and shell
variables a user-data script sets: `export DB_PASSWORD="..."`); and SSM parameters with secret
names that are not SecureString; and secret values (generated passwords, access keys, private
keys, secret versions, sensitive variables...) flowing into places stored or shown in plain text
(`flows`).
"""

from __future__ import annotations

import base64
import functools
import json
import os
import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

from tfgen.credentials import CredentialMatch, find_credentials, is_placeholder, is_secret_name, name_tokens
from tfgen.hcl.read import masked
from tfgen.hcl.syntax import Call, HclExpressionError, walk
from tfgen.hcl.values import Expr, Template
from tfgen.validate.discover import OUTSIDE, terraform_kind
from tfgen.validate.evaluate import blocks
from tfgen.validate.flows import Secret, secrets_in, template_read
from tfgen.validate.module import Module, Node, SourceFile
from tfgen.validate.readfiles import FUNCTIONS, FileCall, calls, pattern_matches, targets, unknown_reason
from tfgen.validate.rules.core import Result, failed, passed, rule, skipped

PRACTICE = "secrets"


_SKIPPED_KEYS = frozenset(
    {
        "description",
        "type",
        "validation",
        "condition",
        "error_message",
        "sensitive",
        "nullable",
        "lifecycle",
        "depends_on",
    }
)


def _node_at(nodes: list[Node], line: int) -> Node | None:
    best: Node | None = None
    for node in nodes:
        if node.line <= line <= node.end_line and (best is None or node.line >= best.line):
            best = node
    return best


_ASSIGNED = re.compile(r'^\s*"?([A-Za-z0-9_.-]+)"?\s*[=:]')


def _resource_at(node: Node, source: SourceFile, line: int) -> str:
    if node.kind in ("locals", "tfvars"):
        match = _ASSIGNED.match(source.lines[line - 1]) if line - 1 < len(source.lines) else None
        if match:
            return f"{'local' if node.kind == 'locals' else 'var'}.{match.group(1)}"
    return node.address


@rule(
    "TFGEN_SECRETS_1",
    PRACTICE,
    url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/best-practices.html",
    title="Literal credential in Terraform (known credential format)",
    why="The file contains text shaped like a real credential (an AWS access key, a GitHub or "
    "other token, a PEM private key, a password in a URL...), or a file it reads with `file()`, "
    "`templatefile()` or `filebase64()` does (the finding names that file and line). Anything committed is readable "
    "by everyone with the repository and stays in its history: revoke the credential, remove "
    "it, and read it at apply time from Secrets Manager or SSM Parameter Store (prefer "
    "ephemeral resources feeding write-only `*_wo` arguments).",
    severity="critical",
    fix="Revoke the credential, remove it from the file, and read it at apply time from Secrets Manager or SSM.",
    example='ephemeral "aws_secretsmanager_secret_version" "token" {\n  secret_id = "proton/repository-token"\n}',
)
def CREDENTIAL_FORMAT(module: Module) -> Iterator[Result]:
    for source in module.files:
        nodes = [n for n in module.nodes if n.file is source]
        if not nodes:
            continue
        hits = 0
        for match in _file_credentials(source.parsed.text):
            line = source.parsed.text.count("\n", 0, match.start) + 1
            node = _node_at(nodes, line) or nodes[0]
            hits += 1
            yield failed(CREDENTIAL_FORMAT, node, line, f"{match.kind} in the file", _resource_at(node, source, line))
        if not hits:
            yield passed(CREDENTIAL_FORMAT, nodes[0], nodes[0].line, resource=source.display)
        yield from _files_read(module, source, nodes)


@functools.lru_cache(maxsize=1024)
def _file_credentials(text: str) -> tuple[CredentialMatch, ...]:
    """`find_credentials` of a whole file, once per text: a file copied across a monorepo (a module's
    `versions.tf`, the same `main.tf` in every environment) is scanned once. The scan is regular
    expressions over every byte: on bench/synth.py's tree at scale 8, 0.33 s for its 504 `.tf`
    files, 0.26 s for their 101 different texts."""
    return tuple(find_credentials(text))


def _files_read(module: Module, source: SourceFile, nodes: list[Node]) -> Iterator[Result]:
    """Credentials in the files `source` reads with file()/templatefile()/filebase64(): each hit
    at the line that reads the file, naming the file and its line (never the secret)."""
    text = source.parsed.text
    if "file" not in text:
        return
    for call in calls(text, is_json=source.is_json):
        line = call.line(text)
        node = _node_at(nodes, line) or nodes[0]
        resource = _resource_at(node, source, line)
        if call.relative is None and call.pattern is None:
            yield skipped(CREDENTIAL_FORMAT, node, unknown_reason(call), line, resource)
            continue
        paths = targets(call, str(module.directory), module.roots)
        if call.pattern is not None:
            matched = yield from _pattern_reads(module, call, paths, node, line, resource)
            results = [r for path in matched for r in _file_read(module, source, call, path, node, line, resource)]
            yield from (r for r in results if r.status != "passed")
            if matched and all(r.status == "passed" for r in results):
                files = "the file" if len(matched) == 1 else f"the {len(matched)} files"
                held = "holds" if len(matched) == 1 else "hold"
                shown = f"{files} {call.function}({call.argument}) may read {held} no credential"
                yield passed(CREDENTIAL_FORMAT, node, line, shown, resource)
            continue
        if (
            not paths
        ):  # path.root where no group was built (a file given as the PATH) or every caller is called (a cycle)
            yield skipped(
                CREDENTIAL_FORMAT,
                node,
                f"not scanned: {call.function}({call.argument}): no root module calling this one is known",
                line,
                resource,
            )
        for path in paths:
            yield from _file_read(module, source, call, path, node, line, resource)


def _pattern_reads(
    module: Module, call: FileCall, patterns: list[str], node: Node, line: int, resource: str
) -> Generator[Result, None, list[str]]:
    """The files a call whose path interpolates may read (`readfiles.pattern_matches`), as its
    group listed them; a skipped finding where there are too many, none, or none was listed."""
    out: list[str] = []
    for pattern in patterns:
        listed = module.reads.get(pattern)
        matched = pattern_matches(pattern, [p for p, read in module.reads.items() if not read.pattern])
        if listed is None:  # no group listed it: the module's directory is not a scanned PATH
            why = f"{OUTSIDE} (pass its directory as a PATH to scan it)"
        elif listed.problem and listed.problem.startswith("more than"):
            why = f"{listed.problem} its pattern"
        elif not matched:
            why = "no file in the scanned tree matches it"
        else:
            out.extend(matched)
            continue
        yield skipped(CREDENTIAL_FORMAT, node, f"not scanned: {call.function}({call.argument}): {why}", line, resource)
    return out


def _file_read(
    module: Module, source: SourceFile, call: FileCall, path: str, node: Node, line: int, resource: str
) -> Iterator[Result]:
    if terraform_kind(path) is not None:
        return  # a Terraform file: scanned as one
    # masked: a token pasted where a path belongs (`file("ghp_...")`) is read as a relative path
    shown = masked(
        source.candidate.root.display(Path(os.path.relpath(path, source.candidate.root.directory)).as_posix())
    )
    read = module.reads.get(path)
    if read is None or read.data is None:
        # no group read it: the module's directory is not a scanned PATH (a file was given as the PATH)
        reason = read.problem if read is not None else f"{OUTSIDE} (pass its directory as a PATH to scan it)"
        yield skipped(
            CREDENTIAL_FORMAT, node, f"not scanned: {shown} ({call.function}() reads it): {reason}", line, resource
        )
        return
    content = read.data.decode("utf-8", "replace")
    found = find_credentials(content)
    reads = "reads" if call.pattern is None else "may read"  # a pattern: one of the files it matches
    for match in found:
        at = content.count("\n", 0, match.start) + 1
        yield failed(
            CREDENTIAL_FORMAT,
            node,
            line,
            f"{match.kind} in {shown}:{at}, which {call.function}() {reads} here",
            resource,
        )
    if not found:
        yield passed(
            CREDENTIAL_FORMAT, node, line, f"{shown} ({call.function}() reads it) holds no credential", resource
        )


# Variable defaults that say "no value given" (a string "null" where `null` was meant, "None"):
# a module compares against them, so they are sentinels, not credentials (seen in the repositories
# of docs/accuracy.md). Only in a variable default: set on a resource argument, "null" would
# really be the password.
_SENTINELS = frozenset({"null", "none", "nil", "undefined", "unset", "n/a"})
# A Secrets Manager secret name written as a lowercase path (`prod/app/db-password`): where a
# secret lives, when the argument's name says it names a secret (`db_password_secret`).
# Lowercase words only: base64 secrets hold "/" too, but mixed case, "+" or "=".
_SECRET_NAME_PATH = re.compile(r"[a-z0-9][a-z0-9_.@-]*(?:/[a-z0-9][a-z0-9_.@-]*)+")


# Where a key file is, not the key: a path from the home or working directory (`~/.ssh/id_rsa`,
# `./keys/deployer.pem`, `../certs/x`), or a file name with a key or certificate extension
# (`certs/server.key`). What `ssh_private_key` or `tls_key` holds in public modules (read with file()).
_KEY_PATH = re.compile(
    r"(?:~|\.{1,2})/[\w.@~/+-]*|(?:[\w.@-]+/)*[\w.@-]+\.(?:pem|key|ppk|pub|crt|cer|der|p12|pfx|jks|keystore)",
    re.IGNORECASE,
)
# A switch written as a string (`get_password_data = "false"`): Terraform converts it to the bool.
_BOOLEANS = frozenset({"true", "false"})


def _literal(value: Any, key: str = "", default: bool = False) -> bool:
    """Is `value` a literal credential, as the value of `key` (a variable's default if `default`)?"""
    if not isinstance(value, str) or is_placeholder(value) or (default and value.strip().lower() in _SENTINELS):
        return False
    if value.strip().lower() in _BOOLEANS or _KEY_PATH.fullmatch(value.strip()):
        return False
    names_a_secret = name_tokens(key)[-1:] in (["secret"], ["secrets"])
    return not (names_a_secret and _SECRET_NAME_PATH.fullmatch(value))


def _walk(value: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str, Any]]:
    """(path, key, value) for every keyed value, and name/value pairs as (path, name, value)."""
    if isinstance(value, dict):
        name = value.get("name", value.get("Name"))
        pair_value = value.get("value", value.get("Value"))
        if isinstance(name, str) and ("value" in value or "Value" in value):
            yield (*path, "value"), name, pair_value
        for key, item in value.items():
            if key in _SKIPPED_KEYS and not path:
                continue
            yield (*path, key), key, item
            if isinstance(item, (dict, list)):
                yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, path)


def _named_values(node: Node) -> Iterator[tuple[tuple[str, ...], str, Any]]:
    if node.kind == "variable":
        if "default" in node.body:
            yield ("default",), node.name, node.body["default"]
            yield from _walk(node.body["default"], ("default",))
        return
    if node.kind == "output":
        if "value" in node.body:
            yield ("value",), node.name, node.body["value"]
            yield from _walk(node.body["value"], ("value",))
        return
    yield from _walk(node.body, ())


# JSON written as a string (a heredoc `container_definitions`, a DynamoDB `item`): its keys and
# name/value pairs are read like an HCL object's. A DynamoDB attribute value is typed (`{"S": "..."}`).
_JSON_TEXT = re.compile(r"^\s*[\[{]")
_DYNAMODB_TYPES = frozenset({"S", "N", "B"})
# A variable set in a shell script: `export DB_PASSWORD="..."`, `API_TOKEN=...`, `declare -x KEY=...`.
_ASSIGNMENT = re.compile(r"^\s*(?:(?:export|readonly|local|declare\s+-x)\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$")
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


def _json_document(text: str) -> Any:
    """The JSON value `text` holds, or None."""
    if not _JSON_TEXT.match(text):
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than Python's decoder goes
        return None


def _typed(value: Any) -> Any:
    """A DynamoDB attribute value's content (`{"S": "x"}` is "x")."""
    if isinstance(value, dict) and len(value) == 1:
        [(kind, content)] = value.items()
        if kind in _DYNAMODB_TYPES and isinstance(content, str):
            return content
    return value


def _json_values(value: Any) -> Iterator[tuple[str, Any]]:
    """(key or name, value) for every string in JSON text inside `value` (a body, at any depth)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _json_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_values(item)
    elif isinstance(value, str):
        document = _json_document(value)
        if isinstance(document, (dict, list)):
            for _, key, found in _walk(document, ()):
                yield key, _typed(found)


def _shell_value(text: str) -> str | None:
    """The literal a shell assignment's right side sets; None where the shell computes it."""
    text = text.strip()
    if text[:1] in ("'", '"'):
        end = text.find(text[0], 1)
        if end < 0:
            return None
        value = text[1:end]
        return None if text[0] == '"' and ("$" in value or "`" in value) else value
    value = text.split(maxsplit=1)[0] if text else ""
    return None if "$" in value or "`" in value else value


def _script_text(value: str) -> str:
    """User data as the instance gets it: decoded where it is given base64-encoded."""
    stripped = "".join(value.split())
    if len(stripped) >= 8 and _BASE64.fullmatch(stripped):
        try:
            return base64.b64decode(stripped, validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return value
    return value


def _user_data_texts(module: Module, written: Any) -> Iterator[tuple[str, str]]:
    """(script text, where it is) for a user-data argument: as written, evaluated, or the files it reads."""
    if isinstance(written, Template):
        yield written.text, "user data"
        return
    texts = [text for text in module.values(written) if isinstance(text, str)]
    yield from ((text, "user data") for text in texts)
    if not isinstance(written, Expr) or texts:
        return
    try:
        tree = written.tree
    except (HclExpressionError, RecursionError):
        # python-hcl2 writes a heredoc inside a call as a quoted string that keeps its inner
        # quotes (`base64encode(<<EOT ... "x" ... EOT)`): not one expression, but its lines are there
        yield written.text, "user data"
        return
    for call in walk(tree):
        if isinstance(call, Call) and call.namespace is None and call.name in FUNCTIONS and call.args:
            path = call.args[0]
            content = template_read(module, path, written.text)
            if content is not None:
                shown = written.text[path.span[0] : path.span[1]]
                yield content, f"the user data {call.name}({shown}) reads"


def _script_values(module: Module, node: Node) -> Iterator[tuple[str, str, str, int]]:
    """(variable, literal, where it is, the argument's line) for every shell assignment in the
    node's user data."""
    for argument, place in PLAINTEXT_ARGUMENTS.get(node.type, ()):
        if "user data" not in place or argument not in node.body:
            continue
        for text, where in _user_data_texts(module, node.body[argument]):
            for line in _script_text(text).splitlines():
                match = _ASSIGNMENT.match(line)
                value = _shell_value(match.group(2)) if match else None
                if match and value is not None:
                    yield match.group(1), value, where, node.line_of(argument)


def _line_holding(node: Node, value: str, default: int) -> int:
    """The first line of the block that holds `value` as written, else `default`."""
    lines = node.file.lines
    for number in range(node.line, min(node.end_line, len(lines)) + 1):
        if value in lines[number - 1]:
            return number
    return default


def _embedded(module: Module, node: Node) -> Iterator[tuple[str, Any, str, int]]:
    """(name, value, what holds it, a line near it) for values inside text: JSON documents and
    user-data scripts."""
    if node.kind not in ("resource", "data"):
        return
    for key, value in _json_values(node.body):
        yield key, value, "JSON text", node.line
    for key, value, where, line in _script_values(module, node):
        yield key, value, where, line


@rule(
    "TFGEN_SECRETS_2",
    PRACTICE,
    url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets.html",
    title="Literal value for an argument, variable or key meant to hold a secret",
    why="A password, token, secret or private key written as a literal (in a resource argument, "
    "a variable default, a local, an output, a provider block or a .tfvars file; in JSON written as "
    "text, such as heredoc container definitions; or assigned in a user-data script, as written, "
    "base64-encoded or read with `file()`) is a credential in the repository. Pass it in at apply "
    "time from Secrets Manager or SSM (an `ephemeral` resource and a write-only `*_wo` argument "
    "keep it out of state too), or let the service manage it (e.g. `manage_master_user_password = true`).",
    severity="critical",
    fix="Pass the value in at apply time from Secrets Manager or SSM, or let the service manage it.",
    example="manage_master_user_password = true",
    yields_to=("TFGEN_SECRETS_1",),
)
def SECRET_LITERAL(module: Module) -> Iterator[Result]:
    for node in module.nodes:
        if node.kind in ("terraform", "moved", "import", "removed", "check"):
            continue
        for path, key, value in _named_values(node):
            if not is_secret_name(key):
                continue
            if isinstance(value, (dict, list)):
                continue  # its keys are checked one by one
            line = node.line_of(*[p for p in path if p])
            resource = node.address
            if node.kind == "locals" and path:
                resource = f"local.{path[0]}"
            elif node.kind == "tfvars" and path:
                resource = f"var.{path[0]}"
            if _literal(value, key, default=node.kind == "variable" and path == ("default",)):
                yield failed(SECRET_LITERAL, node, line, f"{key!r} is set to a literal value", resource)
            else:
                yield passed(SECRET_LITERAL, node, line, resource=resource)
        seen: set[tuple[str, str]] = set()
        for key, value, holder, near in _embedded(module, node):
            if is_secret_name(key) and _literal(value, key) and (key, value) not in seen:
                seen.add((key, value))
                line = _line_holding(node, value, near)
                yield failed(SECRET_LITERAL, node, line, f"{key!r} is set to a literal value in {holder}")


@rule(
    "TFGEN_SECRETS_3",
    PRACTICE,
    url="https://docs.aws.amazon.com/systems-manager/latest/userguide/systems-manager-parameter-store.html",
    title="SSM parameter with a secret name is not a SecureString",
    why="A parameter whose name says it holds a secret (password, token, key...) must be "
    '`type = "SecureString"`, encrypted with a customer managed KMS key (`key_id`); a '
    "String or StringList parameter is readable in plain text by anyone with ssm:GetParameter.",
    severity="high",
    fix="Make the parameter a `SecureString` encrypted with a customer managed KMS key.",
    example='type   = "SecureString"\nkey_id = aws_kms_key.data.arn',
)
def SSM_NOT_SECURE(module: Module) -> Iterator[Result]:
    for node in module.resources("aws_ssm_parameter"):
        name = node.body.get("name")
        shown = name if isinstance(name, str) else node.name
        if not is_secret_name(shown.rstrip("/").rsplit("/", 1)[-1]) and not is_secret_name(node.name):
            continue
        kind = module.resolve(node.body.get("type"))
        if kind is not None and not isinstance(kind, str):
            continue  # an expression tfgen cannot evaluate
        line = node.line_of("type") if "type" in node.body else node.line
        if kind != "SecureString":
            yield failed(SSM_NOT_SECURE, node, line, f"parameter {shown!r} has type {kind!r}, not SecureString")
        else:
            yield passed(SSM_NOT_SECURE, node, line)
        # a literal `value` under a literal secret name is already a name/value pair for _names
        for attribute in ("insecure_value",) if isinstance(name, str) else ("value", "insecure_value"):
            if _literal(node.body.get(attribute)):
                yield failed(
                    SECRET_LITERAL,
                    node,
                    node.line_of(attribute),
                    f"secret parameter {shown!r} has a literal {attribute}",
                )


# Where a value is kept or shown in plain text, by resource type: (argument, what the place is).
_USER_DATA = (("user_data", "EC2 user data"), ("user_data_base64", "EC2 user data"))
PLAINTEXT_ARGUMENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "aws_instance": _USER_DATA,
    "aws_spot_instance_request": _USER_DATA,
    "aws_launch_template": (("user_data", "launch template user data"),),
    "aws_launch_configuration": _USER_DATA,
    "aws_ecs_task_definition": (("container_definitions", "ECS container definitions"),),
    "aws_dynamodb_table_item": (("item", "a DynamoDB item"),),
}
Scope = dict[str, Any]


def _nested(body: dict[str, Any], name: str) -> list[tuple[dict[str, Any], Scope]]:
    """The `name` blocks of a body, written or generated by `dynamic "name"` (whose content reads
    its iterator: bound to the `for_each` collection, which element is not known)."""
    out: list[tuple[dict[str, Any], Scope]] = [(block, {}) for block in blocks(body.get(name))]
    for dynamic in blocks(body.get("dynamic")):
        for generator in blocks(dynamic.get(name)):
            label = generator.get("iterator")
            label = label.text if not isinstance(label, str) and label is not None else label or name
            scope = {str(label): generator.get("for_each")}
            out.extend((content, scope) for content in blocks(generator.get("content")))
    return out


def _plaintext_places(module: Module, node: Node) -> Iterator[tuple[str, int, Any, Scope]]:
    """(what the place is, its line, its value, the iterators it may read) of a block."""
    if node.kind == "output":
        if "value" in node.body and module.resolve(node.body.get("sensitive")) not in (True, "true"):
            yield "an output without `sensitive = true`", node.line_of("value"), node.body["value"], {}
        return
    if node.kind == "provider":
        for default_tags, _ in _nested(node.body, "default_tags"):
            if "tags" in default_tags:
                yield "default tags", node.line_of("default_tags", "tags"), default_tags["tags"], {}
        return
    for_each: Scope = {"each": node.body["for_each"]} if "for_each" in node.body else {}
    for argument, place in PLAINTEXT_ARGUMENTS.get(node.type, ()):
        if argument in node.body:
            yield f"{place} (`{argument}`)", node.line_of(argument), node.body[argument], for_each
    yield from _environment_places(module, node, for_each)
    if node.type == "aws_ssm_parameter":
        kind = module.resolve(node.body.get("type"))
        if kind in ("String", "StringList"):
            for argument in ("value", "insecure_value"):
                if argument in node.body:
                    place = f"a {kind} SSM parameter (`{argument}`)"
                    yield place, node.line_of(argument), node.body[argument], for_each
    if "tags" in node.body:
        yield "tags", node.line_of("tags"), node.body["tags"], for_each


def _environment_places(module: Module, node: Node, for_each: Scope) -> Iterator[tuple[str, int, Any, Scope]]:
    """A Lambda function's environment variables; a CodeBuild project's PLAINTEXT ones (the default type)."""
    if node.type == "aws_lambda_function":
        for environment, scope in _nested(node.body, "environment"):
            if "variables" in environment:
                line = node.line_of("environment", "variables")
                yield "Lambda environment variables", line, environment["variables"], {**for_each, **scope}
    elif node.type == "aws_codebuild_project":
        count = 0
        for environment, outer in _nested(node.body, "environment"):
            for variable, scope in _nested(environment, "environment_variable"):
                kind = module.resolve(variable.get("type", "PLAINTEXT"))
                line = node.line_of("environment", "environment_variable", nth=count)
                count += 1
                if kind == "PLAINTEXT" and "value" in variable:
                    place = "a PLAINTEXT CodeBuild environment variable"
                    yield place, line, variable["value"], {**for_each, **outer, **scope}


def _written(value: Any) -> bool:
    """Does a value hold anything but literals (a reference, a call, a template)?"""
    if isinstance(value, dict):
        return any(_written(v) for v in value.values())
    if isinstance(value, list):
        return any(_written(v) for v in value)
    return not isinstance(value, (str, int, float, bool)) and value is not None


def _flow_message(found: list[Secret], place: str) -> str:
    message = f"{found[0].described()} reaches {place}"
    if len(found) > 1:
        others = ", ".join(s.source for s in found[1:4])
        message += f"; so do {others}" + (f" and {len(found) - 4} more" if len(found) > 4 else "")
    return message


@rule(
    "TFGEN_SECRETS_4",
    PRACTICE,
    url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets.html",
    title="Secret value flows into a place kept or shown in plain text",
    why="A generated password (`random_password`), an IAM secret access key, a `tls_private_key`, a "
    "Secrets Manager secret's `secret_string`, a SecureString parameter, a database's master password "
    "or a variable declared `sensitive` reaches EC2 user data or a launch template (readable with "
    "ec2:DescribeInstanceAttribute and by any process on the instance through the metadata service), "
    "Lambda environment variables (lambda:GetFunctionConfiguration), a PLAINTEXT CodeBuild "
    "environment variable, ECS container definitions (ecs:DescribeTaskDefinition), a DynamoDB item, a "
    "String SSM parameter, tags, or an output without `sensitive = true`: directly, through locals, "
    "module inputs and outputs, templates, `jsonencode`/`base64encode` or `templatefile()` vars. Pass "
    "where the secret lives instead (its ARN or parameter name) and read it at run time: the ECS "
    "`secrets` list (`valueFrom`), CodeBuild's `SECRETS_MANAGER`/`PARAMETER_STORE` variable types, "
    "GetSecretValue from user data or the function; mark an output that must carry it `sensitive`.",
    severity="high",
    fix="Pass the secret's ARN or parameter name instead and read the value at run time; mark such outputs sensitive.",
    example='environment_variable {\n  name  = "DB_PASSWORD"\n  type  = "SECRETS_MANAGER"\n'
    "  value = aws_secretsmanager_secret.db.arn\n}",
)
def SECRET_IN_PLAINTEXT(module: Module) -> Iterator[Result]:
    for node in module.nodes:
        if node.kind not in ("resource", "output", "provider"):
            continue
        for place, line, value, scope in _plaintext_places(module, node):
            if not _written(value):
                continue  # literals: TFGEN_SECRETS_1 and _2 read them
            found = secrets_in(module, value, scope)
            if found:
                yield failed(SECRET_IN_PLAINTEXT, node, line, _flow_message(found, place))
            elif node.kind == "resource" and place != "tags":
                # outputs and tags are on nearly every block: a pass for each would say nothing and
                # grow every report (terraform-aws-modules/terraform-aws-eks: 300 more findings)
                yield passed(SECRET_IN_PLAINTEXT, node, line)


RULES = [CREDENTIAL_FORMAT, SECRET_LITERAL, SSM_NOT_SECURE, SECRET_IN_PLAINTEXT]
