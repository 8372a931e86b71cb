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
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field

from tfgen.migrate.proton.context import Tokens, converted
from tfgen.migrate.proton.lexer import (
    CLOSE,
    IDENT,
    NUMBER,
    OPEN,
    PUNCT,
    LexError,
    Token,
    line_of,
    matching_close,
    split_arguments,
    tokenize,
)

ENVIRONMENT = "environment"
INSTANCE = "instance"
PIPELINE = "pipeline"

# The object each part reads its own inputs from.
INPUTS_OBJECT = {ENVIRONMENT: "environment", INSTANCE: "service_instance", PIPELINE: "pipeline"}
# Proton objects each part may read (Proton's parameter reference); anything else is an error.
AVAILABLE = {
    ENVIRONMENT: frozenset({"environment"}),
    INSTANCE: frozenset({"environment", "service", "service_instance"}),
    PIPELINE: frozenset({"service", "pipeline", "service_instances"}),
}
PROTON_OBJECTS = frozenset({"environment", "service", "service_instance", "pipeline", "service_instances"})
# Declarations Proton injects (its dev-resources/proton.variables.tf); a bundle that carries them is removed.
PROTON_DECLARATIONS = PROTON_OBJECTS

# Files Proton writes next to the rendered template (self-managed and CodeBuild provisioning).
PROTON_FILES = ("proton.auto.tfvars.json", "proton-inputs.json")
SERVICE_ATTRIBUTES = ("name", "repository_id", "repository_connection_arn", "branch_name")
COMPONENT_OUTPUTS = "component_outputs"
SERVICE_INSTANCES = "service_instances"


class RewriteError(ValueError):
    def __init__(self, line: int, message: str) -> None:
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
        try:
            self.tokens = tokenize(text)
        except LexError as exc:
            raise RewriteError(line_of(text, exc.offset), str(exc)) from None
        self.context = Tokens(text, self.tokens)
        self.edits: list[_Edit] = []
        self.handled: set[int] = set()  # token indices already rewritten by an idiom

    # --- helpers --------------------------------------------------------------------------

    def tok(self, i: int) -> Token | None:
        return self.tokens[i] if 0 <= i < len(self.tokens) else None

    def line(self, i: int) -> int:
        return line_of(self.text, self.tokens[i].start)

    def is_proton_var(self, i: int) -> bool:
        t, dot, obj, before = self.tok(i), self.tok(i + 1), self.tok(i + 2), self.tok(i - 1)
        return (
            t is not None
            and t.kind == IDENT
            and t.text == "var"
            and dot is not None
            and dot.kind == PUNCT
            and dot.text == "."
            and dot.start == t.end
            and obj is not None
            and obj.kind == IDENT
            and obj.text in PROTON_OBJECTS
            and obj.start == dot.end
            and not (before is not None and before.kind == PUNCT and before.text == "." and before.end == t.start)
        )

    def steps(self, i: int) -> list[tuple[str, int]]:
        """(name, index of its last token) for each step after `var`: `.name`, or `["name"]` with
        a literal key (`var.a.b["c"]` -> a, b, c); any other index ends the traversal."""
        steps: list[tuple[str, int]] = []
        j = i + 1
        end = self.tokens[i].end
        while True:
            first, second = self.tok(j), self.tok(j + 1)
            if (
                first
                and second
                and first.kind == PUNCT
                and first.text == "."
                and first.start == end
                and second.kind in (IDENT, NUMBER)
                and second.start == first.end
            ):
                steps.append((second.text, j + 1))
                end, j = second.end, j + 2
                continue
            if (
                first
                and first.text == "["
                and first.start == end
                and steps
                and (key := self.literal_key((j + 1, j + 3))) is not None
            ):
                close = self.tok(j + 3)
                if close is not None and close.text == "]":
                    steps.append((key, j + 3))
                    end, j = close.end, j + 4
                    continue
            return steps

    def attributes(self, i: int) -> list[str]:
        """Names after `var` in a traversal (`var.a.b.c` -> [a, b, c])."""
        return [name for name, _ in self.steps(i)]

    def exact(self, span: tuple[int, int], *names: str) -> bool:
        """The argument is exactly the traversal var.<names...>."""
        start, end = span
        if not self.is_proton_var(start):
            return False
        steps = self.steps(start)[: len(names)]
        return [n for n, _ in steps] == list(names) and steps[-1][1] == end - 1

    def literal_key(self, span: tuple[int, int]) -> str | None:
        start, end = span
        opening, closing = self.tok(start), self.tok(start + 1)
        if (
            end - start == 2
            and opening
            and closing
            and opening.kind == OPEN
            and opening.text == '"'
            and closing.kind == CLOSE
        ):
            key = self.text[opening.end : closing.start]
            return key if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", key) else None
        return None

    def edit(self, start: int, end: int, text: str) -> None:
        self.edits.append(_Edit(start, end, text))

    def input_var(self, key: str, i: int, shown: str) -> str:
        if key not in self.inputs:
            raise RewriteError(
                self.line(i), f"{shown}: {key!r} is not a property of the schema's input type, so Proton never set it"
            )
        if key in self.refused:
            raise RewriteError(self.line(i), f"{shown}: {self.refused[key]}")
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

    # --- removals -------------------------------------------------------------------------

    def _line_span(self, first: int, last: int) -> tuple[int, int]:
        """From the start of the line of token `first` to the end of the line of token `last`
        (newline included) when nothing else shares those lines; else just the tokens."""
        start, end = self.tokens[first].start, self.tokens[last].end
        line_start = self.text.rfind("\n", 0, start) + 1
        line_end = self.text.find("\n", end)
        line_end = len(self.text) if line_end < 0 else line_end + 1
        if self.text[line_start:start].strip() == "" and self.text[end:line_end].strip() == "":
            return line_start, line_end
        return start, end

    def blocks(self, first: int, last: int, types: tuple[str, ...]) -> Iterator[tuple[int, str, list[str], int, int]]:
        """Blocks of these types directly in tokens [first, last): (index, type, labels, `{`, `}`)."""
        depth = 0
        for i in range(first, last):
            t = self.tokens[i]
            if depth == 0 and t.kind == IDENT and t.text in types:
                labels, j = self.labels(i + 1)
                brace = self.tok(j)
                if brace is not None and brace.text == "{":
                    yield i, t.text, labels, j, matching_close(self.tokens, j)
            if t.kind == OPEN:
                depth += 1
            elif t.kind == CLOSE:
                depth -= 1

    def remove(self, first: int, close: int, why: str) -> None:
        start, end = self._line_span(first, close)
        self.edit(start, end, "")
        self.result.removed.append(why)
        self.handled.update(range(first, close + 1))

    def remove_declarations(self) -> None:
        for i, kind, labels, brace, close in self.blocks(0, len(self.tokens), ("variable", "terraform")):
            if kind == "variable" and labels[:1] and labels[0] in PROTON_DECLARATIONS:
                self.remove(i, close, f'variable "{labels[0]}" (declared by Proton at deploy time)')
            elif kind == "terraform":
                # backend "s3" {} (or cloud {}) directly in the terraform block: Proton's state.
                for b, name, inner, _, end in self.blocks(brace + 1, close, ("backend", "cloud")):
                    shown = f'{name} "{inner[0]}"' if inner else name
                    self.remove(b, end, f"{shown} (Proton's state backend; the caller's root configures state)")

    def labels(self, i: int) -> tuple[list[str], int]:
        labels: list[str] = []
        while (t := self.tok(i)) is not None:
            if t.kind == IDENT:
                labels.append(t.text)
                i += 1
            elif t.text == '"' and t.kind == OPEN and (c := self.tok(i + 1)) is not None and c.kind == CLOSE:
                labels.append(self.text[t.end : c.start])
                i += 2
            else:
                break
        return labels, i

    # --- idioms over the whole inputs object ----------------------------------------------

    def idioms(self) -> None:
        own = INPUTS_OBJECT[self.part]
        for i, t in enumerate(self.tokens):
            paren = self.tok(i + 1)
            if i in self.handled or t.kind != IDENT or t.text not in ("contains", "lookup", "try", "can"):
                continue
            if paren is None or paren.text != "(" or paren.start != t.end:
                continue
            close = matching_close(self.tokens, i + 1)
            args = split_arguments(self.tokens, i + 1)
            shown = self.text[t.start : self.tokens[close].end]
            if t.text == "contains" and len(args) == 2:
                first = args[0]
                inner = self.tok(first[0])
                if (
                    inner is not None
                    and inner.text == "keys"
                    and first[1] - first[0] == 8
                    and self.exact((first[0] + 2, first[1] - 1), own, "inputs")
                ):
                    key = self.literal_key(args[1])
                    if key is None:
                        raise RewriteError(self.line(i), f"{shown}: only a literal input name can be rewritten")
                    self.edit(t.start, self.tokens[close].end, f"({self.input_var(key, i, shown)} != null)")
                    self.handled.update(range(i, close + 1))
            elif t.text == "lookup" and len(args) in (2, 3) and self.exact(args[0], own, "inputs"):
                key = self.literal_key(args[1])
                if key is None:
                    raise RewriteError(self.line(i), f"{shown}: only a literal input name can be rewritten")
                var = self.input_var(key, i, shown)
                if len(args) == 2:
                    self.edit(t.start, self.tokens[close].end, self.as_proton(var))
                    self.handled.update(range(i, close + 1))
                else:
                    self.conditional(i, args[2], close, var, "lookup")
            elif t.text == "try" and len(args) == 2 and self.exact(args[0], own, "inputs", self.attr_at(args[0][0], 2)):
                key = self.attr_at(args[0][0], 2)
                self.conditional(i, args[1], close, self.input_var(key, i, shown), "try")
            elif t.text == "can" and len(args) == 1 and self.exact(args[0], own, "inputs", self.attr_at(args[0][0], 2)):
                key = self.attr_at(args[0][0], 2)
                self.edit(t.start, self.tokens[close].end, f"({self.input_var(key, i, shown)} != null)")
                self.handled.update(range(i, close + 1))
            elif (
                t.text == "can"
                and len(args) == 1
                and self.part == INSTANCE
                and self.exact(args[0], "service_instance", "components", "default")
            ):
                var = self.component_outputs()
                self.edit(t.start, self.tokens[close].end, f"(length({var}) > 0)")
                self.handled.update(range(i, close + 1))

    def attr_at(self, i: int, index: int) -> str:
        names = self.attributes(i) if self.is_proton_var(i) else []
        return names[index] if len(names) > index else "\x00"

    def conditional(self, i: int, default: tuple[int, int], close: int, var: str, idiom: str) -> None:
        """f(<inputs>, "k", D) with D left in place and rewritten on its own. Proton's lookup/try
        gave the input's value or D, each with its own type (lookup on map(string): a string), so
        the readable `(var.k == null ? D : var.k)` is used where a conditional's unified type is the
        same: D a literal of the read's type, or null, or a lookup under map(string). Otherwise
        `try([for v in [var.k] : v if v != null][0], D)` keeps both types as they were."""
        read = self.as_proton(var)
        literal = self.literal_type(default)
        if (idiom == "lookup" and self.map_string) or (
            literal is not None and literal in ("null", self.read_type(var))
        ):
            self.edit(self.tokens[i].start, self.tokens[default[0]].start, f"({var} == null ? ")
            self.edit(self.tokens[close].start, self.tokens[close].end, f" : {read})")
        else:
            self.edit(
                self.tokens[i].start, self.tokens[default[0]].start, f"try([for v in [{read}] : v if v != null][0], "
            )
            self.edit(self.tokens[close].start, self.tokens[close].end, ")")
        self.handled.update(j for j in range(i, close + 1) if not default[0] <= j < default[1])

    def literal_type(self, span: tuple[int, int]) -> str | None:
        """ "string", "number", "bool" or "null" when tokens[span] are one literal of that type."""
        start, end = span
        first = self.tokens[start]
        if end - start == 1 and first.kind == NUMBER:
            return "number"
        if end - start == 1 and first.kind == IDENT and first.text in ("true", "false", "null"):
            return "null" if first.text == "null" else "bool"
        if end - start == 2 and first.kind == OPEN and first.text == '"' and self.tokens[start + 1].kind == CLOSE:
            return "string"
        return None

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

    def references(self) -> None:
        for i in range(len(self.tokens)):
            if i in self.handled or not self.is_proton_var(i):
                continue
            names = self.attributes(i)
            obj = names[0]
            shown = "var." + ".".join(names)
            if obj not in AVAILABLE[self.part]:
                raise RewriteError(self.line(i), f"{shown}: Proton gives a {self.part} template no var.{obj}")
            replacement, consumed = self.map_reference(names, i, shown)
            last = self.steps(i)[consumed - 1][1]
            if consumed == 3 and names[1] == "inputs" and not converted(self.context, i, last):
                replacement = self.as_proton(replacement)
            self.edit(self.tokens[i].start, self.tokens[last].end, replacement)

    def map_reference(self, names: list[str], i: int, shown: str) -> tuple[str, int]:
        obj, rest = names[0], names[1:]
        own = INPUTS_OBJECT[self.part]
        if obj == SERVICE_INSTANCES:
            self.generate(SERVICE_INSTANCES, "var.service_instances", "", "")
            return "var.service_instances", 1
        if rest[:1] == ["inputs"] and obj == own and len(rest) >= 2:
            return self.input_var(rest[1], i, shown), 3
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
                    raise RewriteError(self.line(i), f"{shown} and {known.proton} would both become var.{name}")
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
                self.line(i),
                f'{shown} is read as a whole: tfgen rewrites contains(keys({shown}), "k"), '
                f'lookup({shown}, "k", d) and try({shown}.k, d), not this use',
            )
        raise RewriteError(self.line(i), f"{shown}: no plain-Terraform equivalent tfgen can substitute safely")

    def refuse_proton_files(self) -> None:
        """A string in code that names a file Proton writes at deploy time (a template reading
        `file(".../proton.auto.tfvars.json")` bypasses var.* entirely): nothing to rewrite safely."""
        for i, t in enumerate(self.tokens):
            if t.kind == OPEN and t.text == '"':
                literal = self.text[t.end : self.tokens[matching_close(self.tokens, i)].start]
                for name in PROTON_FILES:
                    if name in literal:
                        raise RewriteError(
                            self.line(i),
                            f"reads {name}, the inputs file Proton writes at deploy time: "
                            "replace it with var.<input> reads (tfgen cannot rewrite this safely)",
                        )

    def apply(self) -> Result:
        self.refuse_proton_files()
        self.remove_declarations()
        self.idioms()
        self.references()
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
        rewriter = _Rewriter(text, ENVIRONMENT, (), (), {}, {}, {}, True)
    except RewriteError:
        return None
    tokens = rewriter.tokens
    for _, _, labels, brace, close in rewriter.blocks(0, len(tokens), ("variable",)):
        if labels[:1] != [obj]:
            continue
        for j in range(brace, close - 2):
            if tokens[j].text == "inputs" and tokens[j + 1].text == "=":
                if tokens[j + 2].text == "any":
                    return "any"
                if tokens[j + 2].text == "map" and j + 4 < close and tokens[j + 4].text == "string":
                    return "map(string)"
    return None
