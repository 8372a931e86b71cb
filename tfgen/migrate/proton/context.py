"""Where a value's type cannot change what an expression means: read from the lexer's tokens.

Under `inputs = map(string)` Proton handed every scalar input to Terraform as a string (`"true"`,
`"30"`); the migrated module's variables are typed (`true`, `30`). Where Terraform converts the
value to a fixed type anyway, both read the same: a template interpolation, arithmetic, ordering,
`&&`/`||`/`!`, a condition before `?`, an index, an AWS resource's argument, or the argument of a
converting function. Everywhere else (`==`, `jsonencode`, `templatefile` arguments, collection
constructors, locals, outputs, module arguments, the branches of a conditional) the string is
what the template saw, and the caller keeps it with `tostring()`. `converted()` answers True only
for the first kind; it errs towards False, which costs a `tostring()` and never a changed meaning.
"""

from __future__ import annotations

from tfgen.migrate.proton.lexer import CLOSE, IDENT, NUMBER, OPEN, PUNCT, Token

# Binary operators by precedence (HCL's own order): a higher number binds tighter.
BINARY = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, ">": 4, "<=": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}
UNARY = 7
TWO_CHAR = frozenset({"==", "!=", "<=", ">=", "&&", "||", "=>"})
# Operators whose operands Terraform converts to number or bool: "30" and 30 read the same there.
CONVERTING = frozenset({"||", "&&", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "!", "unary-"})
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
# Tokens after which `{` opens an object constructor, not a block body.
_EXPRESSION_BEFORE_BRACE = frozenset({"=", "(", "[", ",", "?", ":", "${", "%{", "{", ">"})


class Tokens:
    """The tokens of one file with each token's innermost enclosing bracket, computed once."""

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.parent: list[int] = []  # index of the innermost OPEN token around each token, -1 at top level
        stack: list[int] = []
        for i, t in enumerate(tokens):
            if t.kind == CLOSE and stack:
                stack.pop()
            self.parent.append(stack[-1] if stack else -1)
            if t.kind == OPEN:
                stack.append(i)

    def tok(self, i: int) -> Token | None:
        return self.tokens[i] if 0 <= i < len(self.tokens) else None

    def operator_before(self, i: int) -> tuple[str, int] | None:
        """The operator that ends right before token i: (operator, index of its first token)."""
        t = self.tok(i - 1)
        if t is None or t.kind != PUNCT:
            return None
        before = self.tok(i - 2)
        if before is not None and before.kind == PUNCT and before.end == t.start and before.text + t.text in TWO_CHAR:
            return before.text + t.text, i - 2
        return t.text, i - 1

    def operator_after(self, i: int) -> str | None:
        t = self.tok(i + 1)
        if t is None or t.kind != PUNCT:
            return None
        after = self.tok(i + 2)
        if after is not None and after.kind == PUNCT and after.start == t.end and t.text + after.text in TWO_CHAR:
            return t.text + after.text
        return t.text

    def is_operand_end(self, i: int) -> bool:
        """Does token i end an operand (so a `-` after it is binary, a `[` after it an index)?"""
        t = self.tok(i)
        if t is None:
            return False
        return t.kind in (IDENT, NUMBER) or (t.kind == CLOSE and t.text in (")", "]", '"', "}")) or t.text == "*"

    def block_brace(self, i: int) -> bool:
        """Does the `{` at i open a block body (after a block type or label), not an object?"""
        before = self.tok(i - 1)
        if before is None:
            return False
        if before.kind == IDENT:
            return True
        return before.kind == CLOSE and before.text == '"'

    def top_level_block(self, i: int) -> tuple[str, str] | None:
        """(type, first label) of the top-level block holding token i, when every bracket around
        it is a block body; None inside any expression bracket."""
        j = self.parent[i]
        brace = -1
        while j >= 0:
            if self.tokens[j].text != "{" or not self.block_brace(j):
                return None
            brace, j = j, self.parent[j]
        if brace < 0:
            return None
        # Walk back over labels to the block type: the first IDENT of the statement at top level.
        k = brace - 1
        labels: list[str] = []
        while k >= 0 and self.parent[k] == -1:
            t = self.tokens[k]
            if t.kind == CLOSE and t.text == '"':
                opening = k - 1
                labels.insert(0, self.text[self.tokens[opening].end : t.start])
                k = opening - 1
                continue
            if t.kind == IDENT:
                labels.insert(0, t.text)
                k -= 1
                continue
            break
        if not labels:
            return None
        return labels[0], labels[1] if len(labels) > 1 else ""

    def whole_quoted_template(self, opening: int, closing: int) -> bool:
        """Is the interpolation tokens[opening] (`${`) .. tokens[closing] (`}`) a quoted string's
        only part, with no literal text on either side?"""
        quote_open, quote_close = self.tok(opening - 1), self.tok(closing + 1)
        return (
            quote_open is not None
            and quote_close is not None
            and (quote_open.kind, quote_open.text, quote_close.kind, quote_close.text) == (OPEN, '"', CLOSE, '"')
            and quote_open.end == self.tokens[opening].start
            and quote_close.start == self.tokens[closing].end
        )

    def attribute_value(self, first: int, last: int) -> bool:
        """Is tokens[first..last] the whole value of an argument `name = <value>` in a block body?"""
        before = self.operator_before(first)
        name = self.tok(first - 2)
        if before is None or before[0] != "=" or name is None or name.kind != IDENT:
            return False
        if self.parent[first - 1] != self.parent[first]:
            return False
        nxt = self.tok(last + 1)
        ends = (
            nxt is None
            or self.text.count("\n", self.tokens[last].end, nxt.start) > 0
            or (nxt.kind == CLOSE and nxt.text == "}" and self.parent[last] == self.parent[first])
        )
        return ends


def converted(tokens: Tokens, first: int, last: int) -> bool:  # noqa: C901  # one branch per kind of context
    """True when tokens[first..last] (one operand) sits where Terraform converts it to a primitive
    type before use, so a string and the typed value it was converted from read the same."""
    left = tokens.operator_before(first)
    right = tokens.operator_after(last)
    left_op: str | None = None
    left_prec = -1
    if left is not None:
        op, start = left
        if op in ("!", "-") and not tokens.is_operand_end(start - 1):
            left_op, left_prec = ("!" if op == "!" else "unary-"), UNARY
        elif op in BINARY:
            left_op, left_prec = op, BINARY[op]
        elif op in ("?", ":"):
            left_op, left_prec = op, 0
    right_op: str | None = None
    right_prec = -1
    if right is not None:
        if right in BINARY:
            right_op, right_prec = right, BINARY[right]
        elif right in ("?", ":"):
            right_op, right_prec = right, 0
    if left_op is not None or right_op is not None:
        # The operand belongs to the tighter operator; on a tie to the left one (left-associative).
        if left_op is not None and left_prec >= right_prec:
            return left_op in CONVERTING
        if right_op == "?":
            return True  # the condition of a conditional is converted to bool
        return right_op in CONVERTING
    before, after = tokens.tok(first - 1), tokens.tok(last + 1)
    if before is None:
        return False
    # `${ X }` and `%{ if X }`: string and bool conversion, except a template that is nothing but
    # `"${X}"`: Terraform returns X itself, type kept, so the template's own context decides.
    if before.kind == OPEN and before.text == "${" and after is not None and after.kind == CLOSE:
        if tokens.whole_quoted_template(first - 1, last + 1):
            return converted(tokens, first - 2, last + 2)
        return True
    if before.kind == IDENT and before.text == "if":
        opener = tokens.tok(first - 2)
        if opener is not None and opener.text == "%{" and after is not None and after.kind == CLOSE:
            return True
    # An index: `a[X]`.
    if before.text == "[" and after is not None and after.text == "]" and tokens.is_operand_end(first - 2):
        return True
    # A parenthesized operand takes the context of the parentheses; a call's argument the call's.
    parent = tokens.parent[first]
    if parent >= 0 and tokens.tokens[parent].text == "(" and before.text in ("(", ",") and after is not None:
        if after.text not in (",", ")"):
            return False
        function = tokens.tok(parent - 1)
        if function is not None and function.kind == IDENT and function.end == tokens.tokens[parent].start:
            return function.text in CONVERTING_FUNCTIONS
        if before.text == "(" and after.text == ")":
            return converted(tokens, first - 1, last + 1)
        return False
    if tokens.attribute_value(first, last):
        block = tokens.top_level_block(first)
        if block is None:
            return False
        kind, label = block
        return (kind in TYPED_BLOCKS and label.startswith(TYPED_PROVIDER_PREFIX)) or (kind, label) == (
            "provider",
            "aws",
        )
    return False
