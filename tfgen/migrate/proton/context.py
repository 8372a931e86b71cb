"""Where a value's type cannot change what an expression means: a question about the operand's parent node.

Under `inputs = map(string)` Proton handed every scalar input to Terraform as a string (`"true"`,
`"30"`); the migrated module's variables are typed (`true`, `30`). Where Terraform converts the
value to a fixed type anyway, both read the same: a template's interpolation (unless the template is
nothing but that one interpolation: Terraform then returns the value itself, type kept), arithmetic,
ordering, `&&`/`||`/`!`, a condition (of `?`, `%{ if }`, a `for`'s `if`), an index, an AWS resource's
argument, or the argument of a converting function. Everywhere else (`==`, `jsonencode`,
`templatefile` arguments, collection constructors, locals, outputs, module arguments, the branches of
a conditional) the string is what the template saw, and the caller keeps it with `tostring()`.
`converted()` answers True only for the first kind; it errs towards False, which costs a
`tostring()` and never a changed meaning.
"""

from __future__ import annotations

from collections.abc import Sequence

from tfgen.hcl.syntax import (
    BinaryOp,
    Call,
    Conditional,
    Directive,
    ForObject,
    ForTuple,
    Index,
    Interpolation,
    Node,
    ObjectItem,
    Parens,
    Part,
    String,
    UnaryOp,
)

# Operators whose operands Terraform converts to number or bool: "30" and 30 read the same there.
CONVERTING_OPERATORS = frozenset({"||", "&&", "<", ">", "<=", ">=", "+", "-", "*", "/", "%"})
# Functions that convert the argument to a primitive before using it.
CONVERTING_FUNCTIONS = frozenset(
    {
        "tostring",
        "tonumber",
        "tobool",
        "abs",
        "ceil",
        "floor",
        "signum",
        "min",
        "max",
        "pow",
        "log",
        "lower",
        "upper",
        "title",
        "trimspace",
        "cidrsubnet",
        "cidrhost",
        "cidrnetmask",
    }
)
# Top-level blocks whose arguments the AWS provider's schema types (a resource or data source of
# another provider may take a dynamic value, `terraform_data.input` for one, where "true" != true).
TYPED_BLOCKS = frozenset({"resource", "data"})
TYPED_PROVIDER_PREFIX = "aws_"

Ancestor = Node | Part | ObjectItem


def typed_block(kind: str, labels: Sequence[str]) -> bool:
    """Does the AWS provider's schema type the arguments of this top-level block (and its nested blocks)?"""
    first = labels[0] if labels else ""
    return (kind in TYPED_BLOCKS and first.startswith(TYPED_PROVIDER_PREFIX)) or (kind, first) == ("provider", "aws")


def converted(operand: Node, ancestors: Sequence[Ancestor], typed_argument: bool) -> bool:
    """True when `operand` sits where Terraform converts it to a primitive type before use, so a
    string and the typed value it was converted from read the same. `ancestors` are the nodes
    around it, outermost first, within one argument's value; `typed_argument`: that argument is
    one the AWS provider's schema types."""
    if not ancestors:
        return typed_argument
    parent, outer = ancestors[-1], ancestors[:-1]
    if isinstance(parent, Parens):
        return converted(parent, outer, typed_argument)
    if isinstance(parent, BinaryOp):
        return parent.op in CONVERTING_OPERATORS
    if isinstance(parent, UnaryOp):
        return True
    if isinstance(parent, (Conditional, ForTuple, ForObject)):
        return operand is parent.condition
    if isinstance(parent, Index):
        return operand is parent.key
    if isinstance(parent, Call):
        spread = parent.expand and operand is parent.args[-1]  # `max(list...)`: the list is not converted
        return parent.namespace is None and parent.name in CONVERTING_FUNCTIONS and not spread
    if isinstance(parent, Directive):
        return parent.keyword == "if"
    if isinstance(parent, Interpolation):
        template = outer[-1]
        if isinstance(template, String) and len(template.parts) == 1:
            # `"${X}"` alone is X itself, type kept: the template's own context decides.
            return converted(template, outer[:-1], typed_argument)
        return True
    return False
