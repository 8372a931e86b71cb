"""Parsed files grouped by Terraform module (directory): blocks, addresses, lines, references.

A rule sees one `Module` at a time: every top-level block of every parsed file in one
directory, as a `Node` with its normalised body, its address (`aws_s3_bucket.logs`,
`data.aws_iam_policy_document.trust`, `var.name`, `local.name`, `output.name`, ...) and line
numbers. Attribute lines are found in the text (python-hcl2 only reports block lines).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from tfgen.hcl import syntax
from tfgen.hcl.read import ParsedFile
from tfgen.hcl.syntax import (
    Call,
    Directive,
    GetAttr,
    HclExpressionError,
    Text,
    Unparsed,
    Variable,
    parse_template,
)
from tfgen.hcl.values import Expr, Template, block_bodies, normalise, normalise_json, references
from tfgen.validate.discover import Candidate
from tfgen.validate.evaluate import Unknown, as_written, blocks, evaluator, unknowns
from tfgen.validate.readfiles import FileRead

# Calls whose value is their argument's for what a policy or key reads (`jsonencode(local.doc)`).
_TRANSPARENT_CALLS = frozenset({"jsonencode", "tolist", "toset", "tomap"})


def _named_value(node: syntax.Node) -> tuple[str, str] | None:
    """("var" | "local", name) when `node` is exactly `var.name` or `local.name`."""
    if isinstance(node, GetAttr) and isinstance(node.target, Variable) and node.target.name in ("var", "local"):
        return node.target.name, node.name
    return None


@dataclass
class SourceFile:
    candidate: Candidate
    parsed: ParsedFile

    @property
    def display(self) -> str:
        return self.candidate.display

    @property
    def path(self) -> Path:
        return self.candidate.path

    @property
    def is_json(self) -> bool:
        return self.candidate.kind == "json"

    @property
    def is_tfvars(self) -> bool:
        return ".tfvars" in self.candidate.path.name

    @cached_property
    def lines(self) -> list[str]:
        return self.parsed.text.split("\n")


@dataclass
class Node:
    """A top-level block (or, for a .tfvars file, the whole file)."""

    kind: str  # resource | data | ephemeral | variable | locals | output | provider | module | terraform | tfvars | ...
    type: str  # resource/data type, provider name; "" otherwise
    name: str
    body: dict[str, Any]
    file: SourceFile
    line: int
    end_line: int

    @property
    def address(self) -> str:
        if self.kind == "resource":
            return f"{self.type}.{self.name}"
        if self.kind in ("data", "ephemeral"):
            return f"{self.kind}.{self.type}.{self.name}"
        if self.kind == "variable":
            return f"var.{self.name}"
        if self.kind == "output":
            return f"output.{self.name}"
        if self.kind == "module":
            return f"module.{self.name}"
        if self.kind == "provider":
            return f"provider.{self.type}"
        if self.kind == "locals":
            return "locals"
        if self.kind == "tfvars":
            return "tfvars"
        return self.kind

    def get(self, *path: str, default: Any = None) -> Any:
        node: Any = self.body
        for key in path:
            if isinstance(node, list):
                node = node[0] if node and isinstance(node[0], dict) else None
            if not isinstance(node, dict) or key not in node:
                return default
            node = node[key]
        return node

    def line_of(self, *keys: str, nth: int = 0) -> int:
        """Line of the attribute or nested block reached by `keys` (best effort: the block line);
        `nth` counts the blocks of the last key written before it (the third `ingress` is nth=2)."""
        lines = self.file.lines
        line = self.line
        end = min(self.end_line, len(lines))
        for index, key in enumerate(keys):
            pattern = _attribute_pattern(key, self.file.is_json)
            skip = nth if index == len(keys) - 1 else 0
            for number in range(line, end + 1):
                if pattern.search(lines[number - 1]):
                    line = number
                    if not skip:
                        break
                    skip -= 1
            else:
                return line
        return line


def _attribute_pattern(key: str, is_json: bool) -> re.Pattern[str]:
    escaped = re.escape(key)
    if is_json:
        return re.compile(r'"' + escaped + r'"\s*:')
    return re.compile(r'(?:^|[\s{,(\[])"?' + escaped + r'"?\s*(?:=(?!=)|:|\{|"[^"]*"\s*\{)')


def nodes_of_hcl(source: SourceFile) -> list[Node]:
    data = source.parsed.data
    if source.is_tfvars:
        body = normalise({k: v for k, v in data.items()})
        return [Node("tfvars", "", source.candidate.path.name, body, source, 1, len(source.lines))]
    nodes: list[Node] = []
    for block, body in block_bodies(source.parsed):
        labels = list(block.labels)
        type_, name = "", ""
        if block.type in ("resource", "data", "ephemeral") and len(labels) >= 2:
            type_, name = labels[0], labels[1]
        elif block.type == "provider" and labels:
            type_, name = labels[0], labels[0]
        elif labels:
            name = labels[0]
        nodes.append(Node(block.type, type_, name, body, source, block.line, block.end_line))
    return nodes


def _json_line(lines: list[str], start: int, key: str) -> int:
    pattern = re.compile(r'"' + re.escape(key) + r'"\s*:')
    for number in range(start, len(lines) + 1):
        if pattern.search(lines[number - 1]):
            return number
    return start


def nodes_of_json(source: SourceFile) -> list[Node]:
    data = source.parsed.data
    lines = source.lines
    if source.is_tfvars:
        return [Node("tfvars", "", source.candidate.path.name, normalise_json(data), source, 1, len(lines))]
    nodes: list[Node] = []
    end = len(lines)
    for kind, value in data.items():
        kind_line = _json_line(lines, 1, kind)
        for group in blocks(value) if kind != "locals" else [value] if isinstance(value, dict) else blocks(value):
            if kind in ("resource", "data", "ephemeral"):
                for type_, named in group.items():
                    type_line = _json_line(lines, kind_line, type_)
                    for named_group in blocks(named):
                        for name, body in named_group.items():
                            for item in blocks(body) or [{}]:
                                line = _json_line(lines, type_line, name)
                                nodes.append(Node(kind, type_, name, normalise_json(item), source, line, end))
            elif kind in ("variable", "output", "module", "provider"):
                for name, body in group.items():
                    for item in blocks(body) or [{}]:
                        line = _json_line(lines, kind_line, name)
                        type_ = name if kind == "provider" else ""
                        nodes.append(Node(kind, type_, name, normalise_json(item), source, line, end))
            else:
                nodes.append(Node(kind, "", "", normalise_json(group), source, kind_line, end))
    return nodes


@dataclass
class Module:
    """Every parsed file of one directory."""

    directory: Path
    files: list[SourceFile] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    # (calling module, its `module` block) for each local call of this directory that was parsed
    # in the same run: a rule whose verdict depends on the caller (a bucket policy attached to
    # `module.x.id`) follows it. Callers are in the same module-call group (groups.py), so a
    # cached verdict is never stale.
    callers: list[tuple[Module, Node]] = field(default_factory=list, compare=False, repr=False)
    # The parsed modules this one calls by a local source, by call name (the other side of `callers`).
    calls: dict[str, Module] = field(default_factory=dict, compare=False, repr=False)
    # Readings several rules share (every policy of the module, see policies.module_policies),
    # computed once per module by whichever rule asks first.
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # Files its Terraform reads with file()/templatefile()/filebase64() at a static path, as its
    # module-call group read them once (`Group.reads`, in the group's cache key): absolute path ->
    # FileRead. Empty where no group was built (a file given as a PATH): nothing is read then.
    reads: dict[str, FileRead] = field(default_factory=dict, compare=False, repr=False)
    # The directories `${path.root}` may be for it, as its group found them (`groups.root_directories`).
    roots: list[str] = field(default_factory=list, compare=False, repr=False)

    def add(self, source: SourceFile) -> None:
        self.files.append(source)
        self.nodes.extend(nodes_of_json(source) if source.is_json else nodes_of_hcl(source))

    def of_kind(self, kind: str, type_: str | None = None) -> Iterator[Node]:
        for node in self.nodes:
            if node.kind == kind and (type_ is None or node.type == type_):
                yield node

    def resources(self, *types: str) -> Iterator[Node]:
        for node in self.nodes:
            if node.kind == "resource" and node.type in types:
                yield node

    @cached_property
    def by_address(self) -> dict[str, Node]:
        out: dict[str, Node] = {}
        for node in self.nodes:
            if node.kind not in ("locals", "tfvars", "terraform"):
                out.setdefault(node.address, node)
        return out

    @cached_property
    def locals(self) -> dict[str, tuple[Node, Any]]:
        out: dict[str, tuple[Node, Any]] = {}
        for node in self.of_kind("locals"):
            for key, value in node.body.items():
                out.setdefault(key, (node, value))
        return out

    def instances(self) -> list[Module]:
        """This module as each `module` block tfgen read calling it instantiates it: its variables as that
        call alone sets them (`callers` holds only that call). Itself when fewer than two calls were read."""
        if len(self.callers) < 2:
            return [self]
        return [replace(self, callers=[caller], memo={}) for caller in self.callers]

    def values(self, value: Any, scope: dict[str, Any] | None = None) -> list[Any]:
        """Every value an expression may have, each literal or `Unknown(reason)` (tfgen.validate.evaluate)."""
        return evaluator(self).values(value, scope)

    def resolve(self, value: Any) -> Any:
        """The value of an expression where it has one known value (a part that is not known stays
        as written); else the expression `var.x`/`local.x` lead to, as written."""
        if not isinstance(value, (Expr, Template, list, dict)):
            return value
        alternatives = self.values(value)
        if (
            len(alternatives) == 1
            and not isinstance(alternatives[0], Unknown)
            and all(u.expr is not None for u in unknowns(alternatives[0]))
        ):
            return as_written(alternatives[0])
        return self._follow(value)

    def _follow(self, value: Any, depth: int = 0) -> Any:
        """Follow `var.x` (its default) and `local.x` to what they are written as; through
        `jsonencode(...)`, `tolist(...)`, `toset(...)`, `tomap(...)` of one of them too."""
        if depth > 8 or not isinstance(value, Expr):
            return value
        try:
            tree = value.tree
        except (HclExpressionError, RecursionError):
            return value
        if isinstance(tree, Call) and tree.name in _TRANSPARENT_CALLS and len(tree.args) == 1 and not tree.expand:
            wrapped = _named_value(tree.args[0])
            if wrapped is None:
                return value
            inner = self._follow_named(*wrapped, value, depth + 1)
            return value if isinstance(inner, Expr) else inner
        named = _named_value(tree)
        return value if named is None else self._follow_named(*named, value, depth)

    def _follow_named(self, kind: str, name: str, value: Expr, depth: int) -> Any:
        if kind == "local":
            entry = self.locals.get(name)
            return self._follow(entry[1], depth + 1) if entry else value
        node = self.by_address.get(f"var.{name}")
        if node is None or "default" not in node.body:
            return value
        return self._follow(node.body["default"], depth + 1)

    @cached_property
    def referrers(self) -> dict[str, list[tuple[Node, str]]]:
        """address -> (node, top-level attribute) pairs whose expressions refer to it."""
        out: dict[str, list[tuple[Node, str]]] = {}
        for node in self.nodes:
            for key, value in node.body.items():
                for address in set(references(value)):
                    out.setdefault(address, []).append((node, key))
        return out


def link_calls(modules: dict[str, Module]) -> None:
    """Record in each module which parsed modules call it by a local `source = "./..."`, and which it calls."""
    by_directory = {os.path.realpath(module.directory): module for module in modules.values()}
    for module in modules.values():
        for call in module.of_kind("module"):
            source = call.body.get("source")
            if not isinstance(source, str) or not source.startswith(("./", "../")):
                continue
            called = by_directory.get(os.path.realpath(module.directory / source))
            if called is not None and called is not module and not any(c is call for _, c in called.callers):
                called.callers.append((module, call))
                module.calls[call.name] = called


def json_loads_template(text: str) -> Any:
    """Parse JSON that may hold `${...}` interpolations (a heredoc policy). None if it is not JSON.

    An interpolation inside a JSON string stays part of it (`"Sid": "${lookup(var.sids, "a")}"`);
    one in place of a JSON value becomes a string of its text (`"Resource": ${jsonencode(var.arns)}`)."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        parts = parse_template(text)
    except HclExpressionError:
        return None
    out: list[str] = []
    in_string = False
    for part in parts:
        written = text[part.span[0] : part.span[1]]
        if isinstance(part, Directive) or (isinstance(part, Unparsed) and part.directive):
            return None
        if isinstance(part, Text):
            in_string = _json_string_open(written, in_string)
            out.append(written)
        else:
            out.append(json.dumps(written)[1:-1] if in_string else json.dumps(written))
    try:
        return json.loads("".join(out))
    except ValueError:
        return None


def _json_string_open(text: str, in_string: bool) -> bool:
    """Is a JSON string open after `text`, given whether one was open before it?"""
    i = 0
    while i < len(text):
        if in_string and text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            in_string = not in_string
        i += 1
    return in_string


def as_text(value: Any) -> str | None:
    """A literal string, or a template's text; None for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, Template):
        return value.text
    return None
