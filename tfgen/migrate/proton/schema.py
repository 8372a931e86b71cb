"""A bundle's `schema/schema.yaml` (OpenAPI 3 types) -> typed, validated Terraform variables.

Types: string -> string; number and integer -> number (integer adds a whole-number check);
boolean -> bool; array -> list(<items>); object -> object({...}) from `properties` (optional()
for properties it does not require), map(<type>) from `additionalProperties`. Constraints
become `validation` blocks: pattern, enum, minimum/maximum (and OpenAPI 3.0's boolean
exclusiveMinimum/exclusiveMaximum), minLength/maxLength, minItems/maxItems.
A property with neither a default nor `required` is nullable (default null): that is how a
bundle's optional input looks once the whole inputs object is gone.

An input whose type holds an object with a property `required` leaves out is declared `any`:
Proton passed the deployment's JSON object as it was (`{"a": "s"}`), while an `optional()`
attribute of an object type adds what the deployment left out (`{"a": "s", "b": null}`), which
`jsonencode`, `keys`, `length`, `lookup`, `try` and `can` all see. The schema's type is kept as a
validation of the value's JSON shape instead.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass, field
from typing import Any

from tfgen.hcl.quote import quote, to_hcl
from tfgen.migrate.proton.yamlfile import BundleError, Located, line_in

NO_DEFAULT = object()
MAX_DEPTH = 16  # nesting of array/object types; deeper is refused (YAML aliases can make cycles)
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
# RE2 (Terraform's regex) has no lookaround and no backreferences; ECMA-262 patterns with them
# would make every value fail validation, so they are refused rather than carried over.
RE2_UNSUPPORTED = re.compile(r"\(\?<?[=!]|\\[1-9]")
SUPPORTED = "string, number, integer, boolean, array, object"
# Names Terraform refuses for a variable ("The variable name ... is reserved"): a schema input of
# that name becomes `input_<name>`, and the README maps one to the other.
RESERVED_VARIABLE_NAMES = frozenset(
    {"source", "version", "providers", "count", "for_each", "lifecycle", "depends_on", "locals"}
)
RENAMED_PREFIX = "input_"


@dataclass(frozen=True)
class Condition:
    condition: str
    message: str


@dataclass
class Variable:
    name: str
    type: str
    description: str | None = None
    default: Any = NO_DEFAULT
    required: bool = False
    conditions: list[Condition] = field(default_factory=list)
    input: str = ""  # the schema's name for it, when Terraform reserves `name`'s original

    @property
    def schema_name(self) -> str:
        return self.input or self.name

    @property
    def nullable(self) -> bool:
        return not self.required and self.default is NO_DEFAULT


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, node: Any, key: str | None, message: str) -> BundleError:
        return BundleError(self.path, line_in(node, key), message)

    def hcl_type(self, spec: Any, name: str, depth: int = 0) -> str:
        if depth > MAX_DEPTH:
            raise self.fail(spec, None, f"{name}: types nested deeper than {MAX_DEPTH} levels")
        if not isinstance(spec, Located):
            raise BundleError(self.path, None, f"{name}: a property must be a mapping with a type")
        kind = spec.get("type")
        if kind in ("string", "number", "integer", "boolean"):
            return {"string": "string", "number": "number", "integer": "number", "boolean": "bool"}[kind]
        if kind == "array":
            items = spec.get("items")
            return f"list({self.hcl_type(items, name + '[]', depth + 1)})" if items is not None else "list(any)"
        if kind == "object":
            props = spec.get("properties")
            if isinstance(props, Located) and props:
                required = self.required_of(spec, name)
                fields: list[tuple[str, str]] = []
                for key, sub in props.items():
                    if not IDENTIFIER.fullmatch(key):
                        raise self.fail(props, key, f"{name}.{key}: not a valid Terraform attribute name")
                    inner = self.hcl_type(sub, f"{name}.{key}", depth + 1)
                    if key not in required:
                        default = sub.get("default", NO_DEFAULT) if isinstance(sub, Located) else NO_DEFAULT
                        inner = (
                            f"optional({inner})"
                            if default is NO_DEFAULT
                            else f"optional({inner}, {self.default_text(sub, f'{name}.{key}', default)})"
                        )
                    fields.append((key, f"{key} = {inner}"))
                # Terraform reads `{ for = ...` as a for expression and refuses a quoted attribute name
                # in a type, so `for` must not open the object: any other attribute goes first.
                fields.sort(key=lambda f: f[0] == "for")
                if fields[0][0] == "for":
                    raise self.fail(
                        props, "for", f"{name}.for: an object type whose only property is `for` cannot be written"
                    )
                return "object({ " + ", ".join(text for _, text in fields) + " })"
            extra = spec.get("additionalProperties")
            if isinstance(extra, Located):
                return f"map({self.hcl_type(extra, name + '{}', depth + 1)})"
            return "map(any)"
        if "$ref" in spec or "oneOf" in spec or "anyOf" in spec or "allOf" in spec:
            which = next(k for k in ("$ref", "oneOf", "anyOf", "allOf") if k in spec)
            raise self.fail(
                spec, which, f"{name}: {which} has no Terraform equivalent tfgen writes (supported types: {SUPPORTED})"
            )
        shown = "no type" if kind is None else f"type {kind!r}"
        raise self.fail(
            spec,
            "type" if kind is not None else None,
            f"{name}: {shown} has no Terraform equivalent (supported: {SUPPORTED})",
        )

    def leaves_out(self, spec: Any, depth: int = 0) -> bool:
        """Does the type `spec` (already read by hcl_type) hold an object with a property it does not require?"""
        if not isinstance(spec, Located) or depth > MAX_DEPTH:
            return False
        props = spec.get("properties")
        if spec.get("type") == "object" and isinstance(props, Located) and props:
            required = self.required_of(spec, "")
            return any(key not in required or self.leaves_out(sub, depth + 1) for key, sub in props.items())
        inner = spec.get("items") if spec.get("type") == "array" else spec.get("additionalProperties")
        return self.leaves_out(inner, depth + 1)

    def shape(self, spec: Located, value: str, depth: int = 0) -> str:
        """A condition true when `value`, declared `any`, holds a JSON value of the schema type `spec`
        (already read by hcl_type): its JSON text tells a string from a number or a bool, and every
        property `required` names is there. `? :` evaluates only the branch it takes (Terraform's `&&`
        evaluates both sides), so no check runs on a value of another type."""
        kind = spec.get("type")
        encoded = f"jsonencode({value})"
        if kind == "string":
            return f"startswith({encoded}, {quote(chr(34))})"
        if kind in ("number", "integer"):
            number = f"can(regex({quote('^-?[0-9]')}, {encoded}))"
            return number if kind == "number" else f"({number} ? floor({value}) == {value} : false)"
        if kind == "boolean":
            return f'contains(["true", "false"], {encoded})'
        item = f"item{depth}"
        if kind == "array":
            items = spec.get("items")
            inner = (
                "true" if items is None else f"alltrue([for {item} in {value} : {self.shape(items, item, depth + 1)}])"
            )
            return f'(startswith({encoded}, "[") ? {inner} : false)'
        props = spec.get("properties")
        extra = spec.get("additionalProperties")
        if isinstance(props, Located) and props:
            required = self.required_of(spec, "")
            checks = []
            for key, sub in props.items():
                at, present = f"{value}[{quote(key)}]", f"contains(keys({value}), {quote(key)})"
                check = self.shape(sub, at, depth + 1)
                checks.append(
                    f"({present} ? {check} : false)"
                    if key in required
                    else f"({present} ? ({at} == null ? true : {check}) : true)"
                )
            inner = f"alltrue([{', '.join(checks)}])"
        elif isinstance(extra, Located):
            inner = f"alltrue([for {item} in values({value}) : {self.shape(extra, item, depth + 1)}])"
        else:
            inner = "true"
        return f'(startswith({encoded}, "{{") ? {inner} : false)'

    def required_of(self, spec: Located, name: str) -> list[str]:
        required = spec.get("required", [])
        if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
            raise self.fail(spec, "required", f"{name}: required must be a list of property names")
        return required

    def check_default(self, spec: Located, name: str, value: Any) -> Any:
        kind = spec.get("type")
        ok = {
            "string": isinstance(value, str),
            "number": isinstance(value, (int, float)) and not isinstance(value, bool),
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
            "array": isinstance(value, list),
            "object": isinstance(value, dict),
        }.get(str(kind), True)
        if (
            kind == "string"
            and isinstance(value, (int, float))
            and not isinstance(value, bool)
            and math.isfinite(value)
        ):
            return str(value)  # YAML reads `default: 8080` as a number; the schema says string
        if kind == "string" and isinstance(value, (datetime.date, datetime.datetime)):
            return value.isoformat()  # YAML reads `default: 2024-01-01` as a date; Proton sent JSON text
        if not ok:
            raise self.fail(spec, "default", f"{name}: default {_shown(value)} is not of type {kind}")
        problem = _unwritable(value)
        if problem:
            raise self.fail(spec, "default", f"{name}: default cannot be written as Terraform: {problem}")
        return value

    def default_text(self, spec: Located, name: str, value: Any) -> str:
        return to_hcl(self.check_default(spec, name, value))

    def pattern_condition(self, spec: Located, name: str, value: str) -> Condition:
        pattern = spec["pattern"]
        if not isinstance(pattern, str):
            raise self.fail(spec, "pattern", f"{name}: pattern must be a string")
        if RE2_UNSUPPORTED.search(pattern):
            raise self.fail(
                spec,
                "pattern",
                f"{name}: pattern {pattern!r} uses lookaround or a backreference, which Terraform's RE2 regex() lacks",
            )
        return Condition(f"can(regex({quote(pattern)}, {value}))", f"{name} must match the pattern {pattern}.")

    def bound(self, spec: Located, name: str, key: str) -> float | int | None:
        """The number `spec[key]` (a minimum, maximum or length), None when absent or unbounding."""
        raw = spec.get(key)
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise self.fail(spec, key, f"{name}: {key} must be a number")
        if isinstance(raw, float) and not math.isfinite(raw):
            if raw > 0 and key.startswith("max"):
                return None  # `maximum: .inf` bounds nothing
            raise self.fail(spec, key, f"{name}: {key} {raw} has no Terraform equivalent")
        return raw

    def enum_condition(self, spec: Located, name: str, value: str) -> Condition:
        enum = spec["enum"]
        if not isinstance(enum, list) or not enum:
            raise self.fail(spec, "enum", f"{name}: enum must be a non-empty list")
        problem = _unwritable(enum)
        if problem:
            raise self.fail(spec, "enum", f"{name}: enum cannot be written as Terraform: {problem}")
        allowed = ", ".join(str(e) for e in enum)
        return Condition(f"contains({to_hcl(enum)}, {value})", f"{name} must be one of: {allowed}.")

    def range_conditions(self, spec: Located, name: str, value: str) -> list[Condition]:
        out: list[Condition] = []
        for key, op, exclusive_key, word in (
            ("minimum", ">=", "exclusiveMinimum", "at least"),
            ("maximum", "<=", "exclusiveMaximum", "at most"),
        ):
            bound = self.bound(spec, name, key)
            if bound is None:
                continue
            if spec.get(exclusive_key) is True:
                relation = "greater than" if op == ">=" else "less than"
                out.append(Condition(f"{value} {op[0]} {bound}", f"{name} must be {relation} {bound}."))
            else:
                out.append(Condition(f"{value} {op} {bound}", f"{name} must be {word} {bound}."))
        return out

    def length_conditions(self, spec: Located, name: str, value: str) -> list[Condition]:
        out: list[Condition] = []
        for key, op, unit in (
            ("minLength", ">=", "characters"),
            ("maxLength", "<=", "characters"),
            ("minItems", ">=", "items"),
            ("maxItems", "<=", "items"),
        ):
            bound = self.bound(spec, name, key)
            if bound is not None:
                word = "at least" if op == ">=" else "at most"
                out.append(Condition(f"length({value}) {op} {bound}", f"{name} must have {word} {bound} {unit}."))
        return out

    def conditions(self, spec: Located, name: str, value: str, depth: int = 0) -> list[Condition]:
        """The validation conditions of one schema property, read as `value` in Terraform."""
        out: list[Condition] = []
        if "pattern" in spec:
            out.append(self.pattern_condition(spec, name, value))
        if "enum" in spec:
            out.append(self.enum_condition(spec, name, value))
        out += self.range_conditions(spec, name, value)
        if spec.get("type") == "integer":
            out.append(Condition(f"floor({value}) == {value}", f"{name} must be a whole number."))
        out += self.length_conditions(spec, name, value)
        items = spec.get("items")
        if spec.get("type") == "array" and isinstance(items, Located) and depth < MAX_DEPTH:
            for inner in self.conditions(items, f"each item of {name}", "item", depth + 1):
                out.append(Condition(f"alltrue([for item in {value} : {inner.condition}])", inner.message))
        return out


def _shown(value: Any) -> str:
    return str(value) if isinstance(value, (datetime.date, float)) else repr(value)


def _unwritable(value: Any) -> str | None:
    """Why a YAML value has no Terraform literal (NaN, an infinity, a date), or None."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} (JSON, which Proton passed, and Terraform have no NaN or infinity)"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"{value.isoformat()} is a YAML date, not a value of the schema's type (quote it to make it a string)"
    if isinstance(value, dict):
        return next((p for v in value.values() if (p := _unwritable(v))), None)
    if isinstance(value, list):
        return next((p for v in value if (p := _unwritable(v))), None)
    return None


def input_variables(schema: Any, path: str, type_key: str) -> list[Variable]:
    """The variables for the input type `schema.<type_key>` (e.g. environment_input_type)."""
    reader = _Reader(path)
    root = schema.get("schema") if isinstance(schema, Located) else None
    if not isinstance(root, Located):
        raise BundleError(path, line_in(schema), "not a Proton schema: no top-level `schema:` mapping")
    type_name = root.get(type_key)
    if type_name is None:
        return []
    types = root.get("types")
    if not isinstance(type_name, str) or not isinstance(types, Located) or type_name not in types:
        raise reader.fail(root, type_key, f"{type_key} {type_name!r} is not one of the schema's types")
    spec = types[type_name]
    if not isinstance(spec, Located) or spec.get("type", "object") != "object":
        raise reader.fail(types, type_name, f"{type_name}: an input type must be an object with properties")
    props = spec.get("properties") or Located()
    if not isinstance(props, Located):
        raise reader.fail(spec, "properties", f"{type_name}: properties must be a mapping")
    required = reader.required_of(spec, type_name)
    out: list[Variable] = []
    for name, prop in props.items():
        if not IDENTIFIER.fullmatch(name):
            raise reader.fail(props, name, f"{name!r}: not a valid Terraform variable name")
        if not isinstance(prop, Located):
            raise reader.fail(props, name, f"{name}: a property must be a mapping with a type")
        var = Variable(name=name, type=reader.hcl_type(prop, name), required=name in required)
        if name in RESERVED_VARIABLE_NAMES:
            var.name, var.input = RENAMED_PREFIX + name, name
            if var.name in props:
                raise reader.fail(
                    props, name, f"{name}: Terraform reserves this variable name and {var.name} is taken too"
                )
        description = prop.get("description")
        var.description = str(description) if description is not None else None
        if "default" in prop:
            var.default = reader.check_default(prop, name, prop["default"])
        var.conditions = reader.conditions(prop, name, f"var.{var.name}")
        if reader.leaves_out(prop):
            shape = Condition(
                reader.shape(prop, f"var.{var.name}"), f"{name} must be a value of the schema's type, {var.type}."
            )
            var.type, var.conditions = "any", [shape, *var.conditions]
        out.append(var)
    return out


def _attributes(pairs: list[tuple[str, str]], indent: str) -> list[str]:
    """Attribute lines aligned as `terraform fmt` aligns a run of single-line attributes."""
    width = max(len(k) for k, _ in pairs)
    return [f"{indent}{k.ljust(width)} = {v}" for k, v in pairs]


def render_variable(var: Variable, *, comment: str | None = None) -> str:
    lines = [f"# {comment}"] if comment else []
    lines.append(f'variable "{var.name}" {{')
    pairs = [("type", var.type)]
    if var.description:
        pairs.append(("description", quote(var.description)))
    if var.default is not NO_DEFAULT:
        pairs.append(("default", to_hcl(var.default, 2)))
    elif var.nullable:
        pairs.append(("default", "null"))
    if not var.nullable:
        pairs.append(("nullable", "false"))
    multi = [p for p in pairs if "\n" in p[1]]
    single = [p for p in pairs if "\n" not in p[1]]
    lines += _attributes(single, "  ")
    for key, value in multi:
        lines += ["", f"  {key} = {value}"]
    for cond in var.conditions:
        condition = cond.condition
        if var.nullable:  # null passes: the input was optional in Proton
            condition = f"var.{var.name} == null ? true : {cond.condition}"
        lines += [
            "",
            "  validation {",
            *_attributes([("condition", condition), ("error_message", quote("The value of " + cond.message))], "    "),
            "  }",
        ]
    lines.append("}")
    return "\n".join(lines) + "\n"
