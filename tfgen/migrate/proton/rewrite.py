"""Rewrite the Proton references of one Terraform file by location, keeping every other byte.

Proton renders a template with its own variables: `var.environment.inputs.X`,
`var.service_instance.inputs.X`, `var.pipeline.inputs.X`, names such as `var.service.name`, and
(for a service) the environment's outputs as `var.environment.outputs.Y`. Each becomes a plain
module variable. Idioms over the whole inputs object (how bundles test for optional inputs)
become tests of a nullable variable. Anything else that reads a Proton object cannot be
rewritten safely and is an error naming the line; the caller then writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from tfgen.errors import InputFileError
from tfgen.hcl.parsing import file_body
from tfgen.hcl.quote import quote
from tfgen.hcl.syntax import (
    Attribute,
    Block,
    Body,
    Call,
    GetAttr,
    Index,
    Literal,
    Node,
    Object,
    Splat,
    String,
    Text,
    Variable,
    attributes,
    children,
    walk,
)
from tfgen.migrate.proton.context import Ancestor, converted, typed_block

ENVIRONMENT = "environment"
INSTANCE = "instance"
PIPELINE = "pipeline"

# The object each part reads its own inputs from.
INPUTS_OBJECT = {ENVIRONMENT: "environment", INSTANCE: "service_instance", PIPELINE: "pipeline"}
# Proton objects each part may read (Proton's parameter reference); anything else is an error.
# `proton_tags`: the tags Proton gave each deployment (`proton:account`, `proton:template`,
# `proton:environment`, ...), declared `map(string)` next to every part and set in its tfvars.
PROTON_TAGS = "proton_tags"
AVAILABLE = {
    ENVIRONMENT: frozenset({"environment", PROTON_TAGS}),
    INSTANCE: frozenset({"environment", "service", "service_instance", PROTON_TAGS}),
    PIPELINE: frozenset({"service", "pipeline", "service_instances", PROTON_TAGS}),
}
PROTON_OBJECTS = frozenset({"environment", "service", "service_instance", "pipeline", "service_instances", PROTON_TAGS})
# Declarations Proton injects (its dev-resources/proton.variables.tf); a bundle that carries them is removed.
PROTON_DECLARATIONS = PROTON_OBJECTS

# Block types whose labels become addresses in the example's `moved` blocks and re-exported outputs:
# each label must be a name Terraform accepts (python-hcl2 reads `resource "t" "a b"`).
ADDRESSED = ("resource", "data", "module", "output")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")

# Files Proton writes next to the rendered template (self-managed and CodeBuild provisioning).
PROTON_FILES = ("proton.auto.tfvars.json", "proton-inputs.json")
SERVICE_ATTRIBUTES = ("name", "repository_id", "repository_connection_arn", "branch_name")
COMPONENT_OUTPUTS = "component_outputs"
SERVICE_INSTANCES = "service_instances"


class RewriteError(ValueError):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Generated:
    """A module variable that stands for a Proton value that is not a schema input."""

    name: str
    proton: str  # the expression it replaces, e.g. var.environment.outputs.VpcId
    type: str
    description: str


@dataclass
class Result:
    text: str
    generated: dict[str, Generated] = field(default_factory=dict)
    inputs_read: set[str] = field(default_factory=set)
    removed: list[str] = field(default_factory=list)  # what was dropped, for the module README
    kept_strings: set[str] = field(default_factory=set)  # inputs read as tostring(var.k) somewhere
    edits: int = 0


def snake(name: str) -> str:
    """VpcId -> vpc_id, PublicSubnetOneId -> public_subnet_one_id, VPCId -> vpc_id."""
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    return re.sub(r"[^A-Za-z0-9_]", "_", text).lower()


@dataclass
class _Edit:
    start: int
    end: int
    text: str


_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def literal_key(node: Node) -> str | None:
    """The name a quoted literal such as `"vpc_cidr"` holds, when it is one a traversal could spell."""
    if isinstance(node, String) and not node.heredoc and len(node.parts) == 1 and isinstance(node.parts[0], Text):
        key = node.parts[0].text
        return key if _KEY.fullmatch(key) else None
    return None


@dataclass(frozen=True)
class _Traversal:
    """`var.a.b["c"]...`: `steps` are the nodes from `var.a` outwards, `names` the leading steps
    that name an attribute (`.a`, or an index by a literal key); any other index ends the names."""

    root: Variable
    steps: tuple[GetAttr | Index, ...]
    names: tuple[str, ...]

    @classmethod
    def of(cls, node: Node) -> _Traversal | None:
        steps: list[GetAttr | Index] = []
        while isinstance(node, (GetAttr, Index)):
            steps.append(node)
            node = node.target
        if not isinstance(node, Variable) or node.name != "var" or not steps:
            return None
        steps.reverse()
        names: list[str] = []
        for step in steps:
            name = step.name if isinstance(step, GetAttr) else (literal_key(step.key) if names else None)
            if name is None:
                break
            names.append(name)
        return cls(node, tuple(steps), tuple(names))

    @property
    def exact(self) -> tuple[str, ...] | None:
        """The names when every step is one (`var.a.b`, not `var.a[local.k]`)."""
        return self.names if len(self.names) == len(self.steps) else None


def traversal_names(node: Node) -> tuple[str, ...] | None:
    """The names of `node` when it is exactly `var.<names...>`."""
    found = _Traversal.of(node)
    return None if found is None else found.exact


def literal_type(node: Node) -> str | None:
    """ "string", "number", "bool" or "null" when `node` is one literal of that type."""
    if isinstance(node, Literal):
        if node.value is None:
            return "null"
        return "bool" if isinstance(node.value, bool) else "number"
    if isinstance(node, String) and not node.heredoc and node.is_literal:
        return "string"
    return None


class _Rewriter:
    def __init__(
        self,
        text: str,
        part: str,
        inputs: Collection[str],
        strings: Collection[str],
        refused: Mapping[str, str],
        renamed: Mapping[str, str],
        types: Mapping[str, str],
        map_string: bool,
    ) -> None:
        self.text = text
        self.part = part
        self.inputs = inputs
        self.strings = strings
        self.refused = refused
        self.renamed = renamed
        self.types = types
        self.map_string = map_string
        self.result = Result(text=text)
        self.body = _parse(text)
        self.edits: list[_Edit] = []

    # --- helpers --------------------------------------------------------------------------

    def line(self, node: Node | Attribute | Block) -> int:
        return line_of(self.text, node.span[0])

    def edit(self, start: int, end: int, text: str) -> None:
        self.edits.append(_Edit(start, end, text))

    def input_var(self, key: str, node: Node, shown: str) -> str:
        if key not in self.inputs:
            raise RewriteError(
                self.line(node),
                f"{shown}: {key!r} is not a property of the schema's input type, so Proton never set it",
            )
        if key in self.refused:
            raise RewriteError(self.line(node), f"{shown}: {self.refused[key]}")
        self.result.inputs_read.add(key)
        return f"var.{self.renamed.get(key, key)}"

    def as_proton(self, var: str) -> str:
        """`var.k` as the value Proton passed: a string for a typed input that reached the template
        through `inputs = map(string)` (`tostring(true)` is `"true"`, `tostring(30)` is `"30"`)."""
        name = var.removeprefix("var.")
        if name not in self.strings:
            return var
        self.result.kept_strings.add(name)
        return f"tostring({var})"

    def generate(self, name: str, proton: str, type_: str, description: str) -> str:
        self.result.generated.setdefault(name, Generated(name, proton, type_, description))
        return f"var.{name}"

    # --- the file's blocks ------------------------------------------------------------------

    def _line_span(self, start: int, end: int) -> tuple[int, int]:
        """From the start of the line of `start` to the end of the line of `end` (newline included)
        when nothing else shares those lines; else just [start, end)."""
        line_start = self.text.rfind("\n", 0, start) + 1
        line_end = self.text.find("\n", end)
        line_end = len(self.text) if line_end < 0 else line_end + 1
        if self.text[line_start:start].strip() == "" and self.text[end:line_end].strip() == "":
            return line_start, line_end
        return start, end

    def remove(self, block: Block, why: str) -> None:
        self.edit(*self._line_span(*block.span), "")
        self.result.removed.append(why)

    def top_level(self, item: Attribute | Block) -> None:
        """Proton's own declarations and state backend go; everything else is rewritten in place."""
        if (
            isinstance(item, Block)
            and item.type == "variable"
            and item.labels[:1]
            and item.labels[0] in PROTON_DECLARATIONS
        ):
            self.remove(item, f'variable "{item.labels[0]}" (declared by Proton at deploy time)')
            return
        if isinstance(item, Block) and item.type == "terraform":
            for inner in item.body:
                if isinstance(inner, Block) and inner.type in ("backend", "cloud"):
                    # backend "s3" {} (or cloud {}) directly in the terraform block: Proton's state.
                    shown = f'{inner.type} "{inner.labels[0]}"' if inner.labels else inner.type
                    self.remove(inner, f"{shown} (Proton's state backend; the caller's root configures state)")
                else:
                    self.item(inner, typed=False)
            return
        typed = isinstance(item, Block) and typed_block(item.type, item.labels)
        self.item(item, typed)

    def item(self, item: Attribute | Block, typed: bool) -> None:
        """`typed`: the item is inside a block whose arguments the AWS provider's schema types."""
        if isinstance(item, Attribute):
            self.expression(item.value, [], typed)
        else:
            for inner in item.body:
                self.item(inner, typed)

    # --- expressions ------------------------------------------------------------------------

    def expression(self, node: Ancestor, ancestors: list[Ancestor], typed: bool) -> None:
        """Rewrite the Proton reads in `node`; `ancestors`: the nodes around it in its argument,
        outermost first; `typed`: the argument is one the AWS provider's schema types."""
        if isinstance(node, Call) and self.idiom(node, ancestors, typed):
            return
        if isinstance(node, (GetAttr, Index)):
            found = _Traversal.of(node)
            if found is not None and found.names[:1] and found.names[0] in PROTON_OBJECTS:
                self.reference(found, ancestors, typed)
                return
        inner = children(node)
        if isinstance(node, Splat) and node.steps:
            inner = (node.target, node.steps[-1])  # each step holds the one before it
        ancestors.append(node)
        for child in inner:
            self.expression(child, ancestors, typed)
        ancestors.pop()

    # --- idioms over the whole inputs object ----------------------------------------------

    def idiom(self, call: Call, ancestors: list[Ancestor], typed: bool) -> bool:
        """Rewrite `call` when it tests for an optional input through the whole inputs object
        (`contains(keys(...), "k")`, `lookup(..., "k"[, d])`, `try(....k, d)`, `can(....k)`)."""
        own = INPUTS_OBJECT[self.part]
        args = call.args
        if call.namespace is not None or call.expand or not args:
            return False
        shown = self.text[call.span[0] : call.span[1]]
        first = traversal_names(args[0])
        if call.name == "contains" and len(args) == 2:
            keys = args[0]
            if not (isinstance(keys, Call) and keys.name == "keys" and len(keys.args) == 1):
                return False
            if traversal_names(keys.args[0]) != (own, "inputs"):
                return False
            var = self.input_var(self.literal_name(args[1], call, shown), call, shown)
            self.edit(*call.span, f"({var} != null)")
        elif call.name == "lookup" and len(args) in (2, 3) and first == (own, "inputs"):
            var = self.input_var(self.literal_name(args[1], call, shown), call, shown)
            if len(args) == 2:
                self.edit(*call.span, self.as_proton(var))
            else:
                self.conditional(call, args[2], var, "lookup", ancestors, typed)
        elif call.name == "try" and len(args) == 2 and first is not None and first[:2] == (own, "inputs"):
            if len(first) != 3:
                return False
            self.conditional(call, args[1], self.input_var(first[2], call, shown), "try", ancestors, typed)
        elif call.name == "can" and len(args) == 1 and first is not None and first[:2] == (own, "inputs"):
            if len(first) != 3:
                return False
            self.edit(*call.span, f"({self.input_var(first[2], call, shown)} != null)")
        elif call.name == "can" and len(args) == 1 and self.part == INSTANCE:
            if first != ("service_instance", "components", "default"):
                return False
            self.edit(*call.span, f"(length({self.component_outputs()}) > 0)")
        else:
            return False
        return True

    def literal_name(self, node: Node, call: Call, shown: str) -> str:
        key = literal_key(node)
        if key is None:
            raise RewriteError(self.line(call), f"{shown}: only a literal input name can be rewritten")
        return key

    def conditional(
        self, call: Call, default: Node, var: str, idiom: str, ancestors: list[Ancestor], typed: bool
    ) -> None:
        """f(<inputs>, "k", D) with D left in place and rewritten on its own. Proton's lookup/try
        gave the input's value or D, each with its own type (lookup on map(string): a string), so
        the readable `(var.k == null ? D : var.k)` is used where a conditional's unified type is the
        same: D a literal of the read's type, or null, or a lookup under map(string). Otherwise
        `try([for v in [var.k] : v if v != null][0], D)` keeps both types as they were."""
        read = self.as_proton(var)
        literal = literal_type(default)
        close = (call.span[1] - 1, call.span[1])  # the call's `)`
        if (idiom == "lookup" and self.map_string) or (
            literal is not None and literal in ("null", self.read_type(var))
        ):
            self.edit(call.span[0], default.span[0], f"({var} == null ? ")
            self.edit(*close, f" : {read})")
        else:
            self.edit(call.span[0], default.span[0], f"try([for v in [{read}] : v if v != null][0], ")
            self.edit(*close, ")")
        ancestors.append(call)
        self.expression(default, ancestors, typed)
        ancestors.pop()

    def read_type(self, var: str) -> str | None:
        """The type the template reads for `var.k`: Proton's string, or the variable's own primitive type."""
        name = var.removeprefix("var.")
        if name in self.strings or (self.map_string and name not in self.types):
            return "string"
        return {"string": "string", "number": "number", "bool": "bool"}.get(self.types.get(name, ""))

    def component_outputs(self) -> str:
        return self.generate(
            COMPONENT_OUTPUTS,
            "var.service_instance.components.default.outputs",
            "map(string)",
            "Outputs of the service instance's directly defined component (Proton's components.default.outputs); "
            "empty when it has none.",
        )

    # --- every other reference --------------------------------------------------------------

    def reference(self, found: _Traversal, ancestors: list[Ancestor], typed: bool) -> None:
        """Replace the read of a Proton value at the start of `found`; an index after it is rewritten on its own."""
        names = found.names
        shown = "var." + ".".join(names)
        obj = names[0]
        if obj not in AVAILABLE[self.part]:
            raise RewriteError(self.line(found.root), f"{shown}: Proton gives a {self.part} template no var.{obj}")
        replacement, consumed = self.map_reference(list(names), found.root, shown)
        read = found.steps[consumed - 1]
        # Around the read: the traversal's own ancestors, then the rest of the traversal, innermost last.
        around = [*ancestors, *reversed(found.steps[consumed:])]
        if consumed == 3 and names[1] == "inputs" and not converted(read, around, typed):
            replacement = self.as_proton(replacement)
        self.edit(found.root.span[0], read.span[1], replacement)
        for position, step in enumerate(found.steps[consumed:], start=consumed):
            if isinstance(step, Index):
                self.expression(step.key, [*ancestors, *reversed(found.steps[position:])], typed)

    def map_reference(self, names: list[str], at: Node, shown: str) -> tuple[str, int]:
        obj, rest = names[0], names[1:]
        own = INPUTS_OBJECT[self.part]
        if obj == SERVICE_INSTANCES:
            self.generate(SERVICE_INSTANCES, "var.service_instances", "", "")
            return "var.service_instances", 1
        if obj == PROTON_TAGS:
            description = (
                "Tags Proton set on the deployment (proton:account, proton:template, proton:environment, ...), "
                "as var.proton_tags; pass the deployment's to keep them on what it created."
            )
            return self.generate(PROTON_TAGS, "var.proton_tags", "map(string)", description), 1
        if rest[:1] == ["inputs"] and obj == own and len(rest) >= 2:
            return self.input_var(rest[1], at, shown), 3
        if rest[:1] == ["name"] and obj in ("environment", "service", "service_instance"):
            what = {"environment": "environment", "service": "service", "service_instance": "service instance"}[obj]
            return self.generate(
                f"{obj}_name", f"var.{obj}.name", "string", f"Name of the Proton {what} (was var.{obj}.name)."
            ), 2
        if obj == "service" and rest[:1] and rest[0] in SERVICE_ATTRIBUTES:
            return self.generate(
                f"service_{rest[0]}",
                f"var.service.{rest[0]}",
                "string",
                f"The service's {rest[0].replace('_', ' ')} (was var.service.{rest[0]}).",
            ), 2
        if obj == "environment" and self.part == INSTANCE:
            if rest[:1] == ["account_id"]:
                return self.generate(
                    "environment_account_id",
                    "var.environment.account_id",
                    "string",
                    "Account id of the environment (was var.environment.account_id).",
                ), 2
            if rest[:1] == ["outputs"] and len(rest) >= 2:
                name = f"environment_{snake(rest[1])}"
                known = self.result.generated.get(name)
                if known is not None and known.proton != f"var.environment.outputs.{rest[1]}":
                    raise RewriteError(self.line(at), f"{shown} and {known.proton} would both become var.{name}")
                return self.generate(
                    name,
                    f"var.environment.outputs.{rest[1]}",
                    "string",
                    f"The environment's output {rest[1]} (was var.environment.outputs.{rest[1]}).",
                ), 3
        if obj == "service_instance" and rest[:3] == ["components", "default", "outputs"]:
            return self.component_outputs(), 4
        if rest[:1] == ["inputs"] and len(rest) == 1:
            raise RewriteError(
                self.line(at),
                f'{shown} is read as a whole: tfgen rewrites contains(keys({shown}), "k"), '
                f'lookup({shown}, "k", d) and try({shown}.k, d), not this use',
            )
        raise RewriteError(self.line(at), f"{shown}: no plain-Terraform equivalent tfgen can substitute safely")

    def refuse_invalid_labels(self) -> None:
        for block in self.body:
            if not isinstance(block, Block) or block.type not in ADDRESSED:
                continue
            for label in block.labels:
                if not NAME.fullmatch(label):
                    raise RewriteError(
                        self.line(block),
                        f"{block.type} label {quote(label)} is not a valid Terraform name "
                        "(letters, digits, underscores and dashes, not starting with a digit or dash)",
                    )

    def refuse_proton_files(self) -> None:
        """A string in code that names a file Proton writes at deploy time (a template reading
        `file(".../proton.auto.tfvars.json")` bypasses var.* entirely): nothing to rewrite safely."""
        for attribute in attributes(self.body):
            for node in walk(attribute.value):
                if not isinstance(node, String) or node.heredoc:
                    continue
                literal = self.text[node.span[0] + 1 : node.span[1] - 1]
                for name in PROTON_FILES:
                    if name in literal:
                        raise RewriteError(
                            self.line(node),
                            f"reads {name}, the inputs file Proton writes at deploy time: "
                            "replace it with var.<input> reads (tfgen cannot rewrite this safely)",
                        )

    def apply(self) -> Result:
        self.refuse_invalid_labels()
        self.refuse_proton_files()
        for item in self.body:
            self.top_level(item)
        edits = sorted(self.edits, key=lambda e: (e.start, e.end))
        out: list[str] = []
        pos = 0
        for e in edits:
            if e.start < pos:
                raise AssertionError(f"overlapping rewrites at offset {e.start}")  # a tfgen bug, never user input
            out.append(self.text[pos : e.start])
            out.append(e.text)
            pos = e.end
        out.append(self.text[pos:])
        self.result.text = "".join(out)
        self.result.edits = len(edits)
        return self.result


def _parse(text: str) -> Body:
    try:
        return file_body(text, "")
    except InputFileError as exc:  # HclSyntaxError, or a file too deep
        raise RewriteError(exc.line, exc.problem) from None


def rewrite(
    text: str,
    part: str,
    inputs: Collection[str],
    strings: Collection[str] = (),
    refused: Mapping[str, str] | None = None,
    renamed: Mapping[str, str] | None = None,
    types: Mapping[str, str] | None = None,
    map_string: bool = True,
) -> Result:
    """Rewrite `text` (one top-level .tf file of a `part`) whose schema inputs are `inputs`. The
    inputs in `strings` reached the template as strings (`inputs = map(string)`) while their
    variables are typed, so each read that a type could change keeps Proton's string; a read of
    an input in `refused` is an error with that reason (its meaning cannot be kept); an input in
    `renamed` (a name Terraform reserves) reads the variable named there. `strings` and `types`
    (each variable's Terraform type) hold variable names, the others schema names; `map_string`
    says Proton passed the inputs as `map(string)` (else `any`)."""
    return _Rewriter(text, part, inputs, strings, refused or {}, renamed or {}, types or {}, map_string).apply()


def declared_inputs_type(text: str, obj: str) -> str | None:
    """`map(string)` or `any` when `text` declares `variable "<obj>"` with that `inputs` type (as
    CodeBuild-provisioned bundles do, reading Proton's values with -var-file), else None."""
    try:
        body = _parse(text)
    except RewriteError:
        return None
    for block in body:
        if not (isinstance(block, Block) and block.type == "variable" and block.labels[:1] == (obj,)):
            continue
        for attribute in block.body:
            if not (isinstance(attribute, Attribute) and attribute.name == "type"):
                continue
            for node in walk(attribute.value):
                if not isinstance(node, Object):
                    continue
                for item in node.items:
                    key = item.key.name if isinstance(item.key, Variable) else literal_key(item.key)
                    if key != "inputs":
                        continue
                    if isinstance(item.value, Variable) and item.value.name == "any":
                        return "any"
                    if isinstance(item.value, Call) and item.value.name == "map" and len(item.value.args) == 1:
                        element = item.value.args[0]
                        if isinstance(element, Variable) and element.name == "string":
                            return "map(string)"
    return None
