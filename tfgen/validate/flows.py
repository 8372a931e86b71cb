"""Where secret values go: the secrets an expression's value carries, and the way each came.

A secret here is a value that is a credential by what produced it, not by its name:
`aws_iam_access_key.*.secret` and `.ses_smtp_password_v4`, `random_password.*.result`,
`tls_private_key.*.private_key_*`, a Secrets Manager secret version's `secret_string`
(resource or data source), a SecureString parameter's `value`, `data.aws_kms_secrets.*.plaintext`,
a database's master password (`aws_db_instance.password`, `aws_rds_cluster.master_password`, ...),
a variable declared `sensitive = true` under a secret's name (`db_password`, not `db_username`), a
variable that the module itself stores as a secret (the whole value of one of those password
arguments, directly or through a local, or a secret-named key of the `secret_string` it writes), and
a called module's output declared `sensitive = true` under a secret's name.

The trace reads expressions through tfgen's one expression layer (`tfgen.hcl.syntax`) and follows
what Terraform would: `local.x` to its expression, `var.x` to each local caller's argument
(`Module.callers`), `module.m.out` into the called module's output (`Module.calls`), the iterator of
`for_each`, string templates, heredocs, and function calls (a secret passed to `jsonencode`,
`base64encode`, `format`, `merge`, ... is in their result; a hash such as `sha256()` or `bcrypt()`
is not the secret). `templatefile(path, vars)` carries a var's secret only where the template reads
that var (the template as its module-call group read it, `Module.reads`); where the template is not
known, every var counts. Attribute steps select: `local.db.host` does not carry `local.db.password`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tfgen.credentials import is_secret_name
from tfgen.hcl import syntax
from tfgen.hcl.syntax import (
    Call,
    Directive,
    GetAttr,
    HclExpressionError,
    Index,
    Interpolation,
    Literal,
    Object,
    Parens,
    Splat,
    String,
    Text,
    Unparsed,
    Variable,
)
from tfgen.hcl.values import Expr, Template, string_value
from tfgen.validate.evaluate import blocks
from tfgen.validate.readfiles import FileCall, targets

if TYPE_CHECKING:
    from tfgen.validate.module import Module, Node

# (resource type, attribute) -> what the value is. Each is a credential the provider produces or stores.
RESOURCE_SECRETS: dict[tuple[str, str], str] = {
    ("aws_iam_access_key", "secret"): "an IAM secret access key",
    ("aws_iam_access_key", "ses_smtp_password_v4"): "an SES SMTP password",
    ("aws_iam_user_login_profile", "password"): "an IAM user's console password",
    ("random_password", "result"): "a generated password",
    ("tls_private_key", "private_key_pem"): "a private key",
    ("tls_private_key", "private_key_openssh"): "a private key",
    ("tls_private_key", "private_key_pem_pkcs8"): "a private key",
    ("aws_secretsmanager_secret_version", "secret_string"): "a Secrets Manager secret",
    ("aws_secretsmanager_secret_version", "secret_binary"): "a Secrets Manager secret",
    ("aws_db_instance", "password"): "a database password",
    ("aws_rds_cluster", "master_password"): "a database password",
    ("aws_docdb_cluster", "master_password"): "a database password",
    ("aws_redshift_cluster", "master_password"): "a database password",
    ("aws_elasticache_replication_group", "auth_token"): "a Redis AUTH token",
}
DATA_SECRETS: dict[tuple[str, str], str] = {
    ("aws_secretsmanager_secret_version", "secret_string"): "a Secrets Manager secret",
    ("aws_secretsmanager_secret_version", "secret_binary"): "a Secrets Manager secret",
    ("aws_kms_secrets", "plaintext"): "a KMS-decrypted secret",
}
# Arguments whose whole value the module stores as a secret: a variable or local written there is one.
STORED_AS_SECRET: dict[str, tuple[str, ...]] = {
    "aws_db_instance": ("password",),
    "aws_rds_cluster": ("master_password",),
    "aws_docdb_cluster": ("master_password",),
    "aws_redshift_cluster": ("master_password",),
    "aws_elasticache_replication_group": ("auth_token",),
    "aws_secretsmanager_secret_version": ("secret_string",),
}
# Functions whose result does not hold their argument's value: a digest, a length, a type test.
OPAQUE_FUNCTIONS = frozenset(
    {
        "md5",
        "sha1",
        "sha256",
        "sha512",
        "base64sha256",
        "base64sha512",
        "bcrypt",
        "filemd5",
        "filesha1",
        "filesha256",
        "filesha512",
        "filebase64sha256",
        "filebase64sha512",
        "length",
        "can",
        "keys",
        "type",
        "uuid",
        "uuidv5",
        "timestamp",
    }
)
MAX_DEPTH = 24  # reference chains followed; deeper is a cycle in practice


@dataclass(frozen=True)
class Secret:
    """A secret value reaching an expression: where it comes from, what it is, the way it came."""

    source: str  # `random_password.db.result`, `var.db_password`
    what: str  # "a generated password"
    via: tuple[str, ...] = ()  # `local.boot`, `module.app's input db_password`, `templatefile() var pass`

    def described(self) -> str:
        way = f" through {', '.join(dict.fromkeys(self.via))}" if self.via else ""
        return f"{self.source} ({self.what}){way}"

    def through(self, step: str) -> Secret:
        return Secret(self.source, self.what, (step, *self.via))


@dataclass(frozen=True)
class _Instances:
    """What a `for` iterator over a resource's instances (`random_password.users`) is bound to."""

    type: str
    name: str


# Roots that are no resource type: a `for` over them iterates values, not a resource's instances
_NOT_RESOURCES = frozenset({"var", "local", "module", "data", "each", "count", "path", "self", "terraform"})

Steps = tuple[str | int | None, ...]  # attribute/index steps applied to a value; None: any element


def secrets_in(module: Module, value: Any, scope: dict[str, Any] | None = None) -> list[Secret]:
    """The secrets a normalised value of `module` carries (distinct sources, first way found).
    `scope` maps an iterator name (`each`, a dynamic block's) to the collection it iterates."""
    found = _Tracer(set()).value(module, value, (), scope or {})
    out: dict[str, Secret] = {}
    for secret in found:
        out.setdefault(secret.source, secret)
    return list(out.values())


class _Tracer:
    def __init__(self, active: set[tuple[int, str]]) -> None:
        self.active = active  # references being followed (a cycle guard)

    def value(self, module: Module, value: Any, steps: Steps, scope: dict[str, Any]) -> list[Secret]:
        if isinstance(value, Expr):
            try:
                tree = value.tree
            except (HclExpressionError, RecursionError):
                # python-hcl2 writes a heredoc inside a call as a quoted string that keeps its inner
                # quotes (`base64encode(<<EOT ... "${x}" ... EOT)`): not one expression any more, but
                # its interpolations are still each one
                return self._template(module, value.text, scope)
            return self.node(module, tree, value.text, steps, scope)
        if isinstance(value, Template):
            return self._template(module, value.text, scope)
        if isinstance(value, dict):
            if steps and isinstance(steps[0], str):
                return self.value(module, value[steps[0]], steps[1:], scope) if steps[0] in value else []
            return [s for item in value.values() for s in self.value(module, item, steps[1:], scope)]
        if isinstance(value, list):
            if steps and isinstance(steps[0], int) and 0 <= steps[0] < len(value):
                return self.value(module, value[steps[0]], steps[1:], scope)
            return [s for item in value for s in self.value(module, item, steps[1:], scope)]
        return []

    def _template(self, module: Module, text: str, scope: dict[str, Any]) -> list[Secret]:
        try:
            parts = syntax.parse_template(text)
        except HclExpressionError:
            return []
        out: list[Secret] = []
        for part in parts:
            if isinstance(part, Interpolation) or (isinstance(part, Directive) and part.expr is not None):
                out.extend(self.node(module, part.expr, text, (), scope))
        return out

    def node(self, module: Module, node: Any, text: str, steps: Steps, scope: dict[str, Any]) -> list[Secret]:
        """The secrets of expression `node` (spans index `text`) after `steps` are applied to its value,
        traced by the method `_TRACE` names for its kind (the nodes inside it, for any other kind)."""
        while isinstance(node, Parens):
            node = node.expr
        return _TRACE.get(type(node), _Tracer._inside)(self, module, node, text, steps, scope)

    def _inside(self, module: Module, node: Any, text: str, steps: Steps, scope: dict[str, Any]) -> list[Secret]:
        """The secrets of the nodes directly inside `node`, each traced whole."""
        return [s for child in syntax.children(node) for s in self.node(module, child, text, (), scope)]

    def _nothing(self, module: Module, node: Any, text: str, steps: Steps, scope: dict[str, Any]) -> list[Secret]:
        """A literal, literal text, a comparison, a negation or arithmetic: a bool, a number or
        text as written, never the secret."""
        return []

    def _traversal(
        self, module: Module, node: Variable | GetAttr | Index, text: str, steps: Steps, scope: dict[str, Any]
    ) -> list[Secret]:
        chain = _chain(node, text)
        if chain is None:
            return self._inside(module, node, text, steps, scope)
        root, names, rest = chain
        return self._reference(module, root, names, (*rest, *steps), scope)

    def _splat(self, module: Module, node: Splat, text: str, steps: Steps, scope: dict[str, Any]) -> list[Secret]:
        chain = _chain(node.target, text)
        if chain is None:
            return self._inside(module, node, text, steps, scope)
        root, names, rest = chain
        after = tuple(_step(step, text) for step in node.steps)
        return self._reference(module, root, names, (*rest, None, *after, *steps), scope)

    def _string(self, module: Module, node: String, text: str, steps: Steps, scope: dict[str, Any]) -> list[Secret]:
        out: list[Secret] = []
        for part in node.parts:
            if isinstance(part, Interpolation) or (isinstance(part, Directive) and part.expr is not None):
                out.extend(self.node(module, part.expr, text, (), scope))
        return out

    def _object(self, module: Module, node: Object, text: str, steps: Steps, scope: dict[str, Any]) -> list[Secret]:
        if steps and isinstance(steps[0], str):
            for item in node.items:
                if _key_text(item.key, text) == steps[0]:
                    return self.node(module, item.value, text, steps[1:], scope)
            return []
        return [s for item in node.items for s in self.node(module, item.value, text, steps[1:], scope)]

    def _tuple(
        self, module: Module, node: syntax.Tuple, text: str, steps: Steps, scope: dict[str, Any]
    ) -> list[Secret]:
        if steps and isinstance(steps[0], int) and 0 <= steps[0] < len(node.items):
            return self.node(module, node.items[steps[0]], text, steps[1:], scope)
        return [s for item in node.items for s in self.node(module, item, text, steps[1:], scope)]

    def _conditional(
        self, module: Module, node: syntax.Conditional, text: str, steps: Steps, scope: dict[str, Any]
    ) -> list[Secret]:
        return [s for branch in (node.true, node.false) for s in self.node(module, branch, text, steps, scope)]

    def _for(
        self, module: Module, node: syntax.ForTuple | syntax.ForObject, text: str, steps: Steps, scope: dict[str, Any]
    ) -> list[Secret]:
        results = (node.result,) if isinstance(node, syntax.ForTuple) else (node.result_key, node.result_value)
        inner = scope
        chain = _chain(node.collection, text)
        if chain is not None and chain[0] not in _NOT_RESOURCES and len(chain[1]) == 1 and not chain[2]:
            # `{for k, pw in random_password.users : k => pw.result}`: each element is an instance
            inner = {**scope, node.value: _Instances(chain[0], chain[1][0])}
        return [s for n in (node.collection, *results) for s in self.node(module, n, text, (), inner)]

    def _call(self, module: Module, node: Call, text: str, steps: Steps, scope: dict[str, Any]) -> list[Secret]:
        if node.namespace is None and node.name in OPAQUE_FUNCTIONS:
            return []
        if node.namespace is None and node.name == "templatefile" and len(node.args) == 2:
            return self._templatefile(module, node, text, scope)
        if node.namespace is None and node.name in ("merge", "tomap", "try", "coalesce") and not node.expand:
            return [s for arg in node.args for s in self.node(module, arg, text, steps, scope)]
        if node.namespace is None and node.name == "lookup" and len(node.args) >= 2:
            key = _literal_string(node.args[1], text)
            picked = self.node(module, node.args[0], text, (key, *steps) if key is not None else (), scope)
            return picked + [s for arg in node.args[2:] for s in self.node(module, arg, text, (), scope)]
        return [s for arg in node.args for s in self.node(module, arg, text, (), scope)]

    def _templatefile(self, module: Module, node: Call, text: str, scope: dict[str, Any]) -> list[Secret]:
        read = template_read(module, node.args[0], text)
        names = _template_names(read) if read is not None else None
        variables = node.args[1]
        while isinstance(variables, Parens):
            variables = variables.expr
        if not isinstance(variables, Object):
            return [s.through("templatefile() vars") for s in self.node(module, variables, text, (), scope)]
        out: list[Secret] = []
        for item in variables.items:
            key = _key_text(item.key, text)
            if names is not None and key is not None and key not in names:
                continue  # the template does not read this var
            out.extend(s.through(f"templatefile() var {key}") for s in self.node(module, item.value, text, (), scope))
        return out

    def _template_file(self, module: Module, body: dict[str, Any], scope: dict[str, Any]) -> list[Secret]:
        """`data "template_file"`: its template (`file(path)` or text) and the vars that template reads."""
        template = body.get("template")
        content: str | None = template if isinstance(template, str) else None
        if isinstance(template, Expr):
            try:
                tree = template.tree
            except (HclExpressionError, RecursionError):
                tree = None
            while isinstance(tree, Parens):
                tree = tree.expr
            if isinstance(tree, Call) and tree.name == "file" and len(tree.args) == 1:
                content = template_read(module, tree.args[0], template.text)
        names = _template_names(content) if content is not None else None
        out = [] if content is not None else self.value(module, template, (), scope)
        variables = blocks(body.get("vars")) or [{}]
        for key, item in variables[0].items():
            if names is None or key in names:
                out.extend(s.through(f"template var {key}") for s in self.value(module, item, (), scope))
        return out

    def _reference(
        self, module: Module, root: str, names: list[str], steps: Steps, scope: dict[str, Any]
    ) -> list[Secret]:
        """The secrets of the traversal `root.names...` with `steps` after it: a bound name, a
        local, a variable, a module output, a data source or a resource attribute."""
        if root in scope:
            bound = scope[root]
            if isinstance(bound, _Instances):  # an instance of a resource a `for` iterates
                return self._reference(module, bound.type, [bound.name, *names[:1]], steps, {})
            # `each.value.x`, `item.value.x`: an element of the collection iterated (which element is not known)
            return self.value(module, bound, (), {}) if names[:1] == ["value"] else []
        if root == "local" and names:
            entry = module.locals.get(names[0])
            if entry is None:
                return []
            return self._follow(module, f"local.{names[0]}", entry[1], (*names[1:], *steps), "")
        if root == "var" and names:
            return self._variable(module, names[0], (*names[1:], *steps))
        if root == "module" and len(names) >= 2:
            return self._module_output(module, names[0], names[1], (*names[2:], *steps))
        if root == "data":
            names = [*names, *(s for s in steps if isinstance(s, str))][:3]
            return self._data(module, names[0], names[1], names[2]) if len(names) == 3 else []
        if root in ("path", "count", "each", "self", "terraform"):
            return []
        return self._resource_attribute(module, root, names, steps)

    def _resource_attribute(self, module: Module, root: str, names: list[str], steps: Steps) -> list[Secret]:
        """`T.N.attr` of a resource type T that holds a secret (`random_password.p.result`)."""
        names = [*names, *(s for s in steps if isinstance(s, str))][:2]  # `T.N[*].attr`: the attribute after a splat
        if len(names) < 2:
            return []
        what = RESOURCE_SECRETS.get((root, names[1]))
        if what is not None:
            return [Secret(f"{root}.{names[0]}.{names[1]}", what)]
        if root == "aws_ssm_parameter" and names[1] == "value":
            parameter = module.by_address.get(f"aws_ssm_parameter.{names[0]}")
            if parameter is not None and module.resolve(parameter.body.get("type")) == "SecureString":
                return [Secret(f"aws_ssm_parameter.{names[0]}.value", "a SecureString parameter")]
        return []

    def _follow(self, module: Module, key: str, value: Any, steps: Steps, via: str) -> list[Secret]:
        return self._guarded(module, f"{key}{steps}", lambda: self.value(module, value, steps, {}), via or key)

    def _guarded(self, module: Module, key: str, trace: Callable[[], list[Secret]], via: str) -> list[Secret]:
        """`trace()`'s secrets, each through `via`; none where `key` is being followed already (a cycle)."""
        guard = (id(module), key)
        if guard in self.active or len(self.active) > MAX_DEPTH:
            return []
        self.active.add(guard)
        try:
            return [s.through(via) for s in trace()]
        finally:
            self.active.discard(guard)

    def _variable(self, module: Module, name: str, steps: Steps) -> list[Secret]:
        node = module.by_address.get(f"var.{name}")
        if node is None:
            return []
        out: list[Secret] = []
        why = secret_variables(module).get(name)
        if why is not None:
            out.append(Secret(f"var.{name}", why))
        for caller, call in module.callers:
            if name in call.body:
                via = f"module.{call.name}'s input {name}"
                out.extend(self._follow(caller, f"module.{call.name}.{name}", call.body[name], steps, via))
        return out

    def _module_output(self, module: Module, call: str, output: str, steps: Steps) -> list[Secret]:
        called = module.calls.get(call)
        if called is None:
            return []
        node = called.by_address.get(f"output.{output}")
        if node is None:
            return []
        found = self._follow(called, f"module.{call}.{output}", node.body.get("value"), steps, "")
        if not found and is_secret_name(output) and called.resolve(node.body.get("sensitive")) in (True, "true"):
            return [Secret(f"module.{call}.{output}", "a module output declared sensitive")]
        return found

    def _data(self, module: Module, type_: str, name: str, attribute: str) -> list[Secret]:
        what = DATA_SECRETS.get((type_, attribute))
        if what is not None:
            return [Secret(f"data.{type_}.{name}.{attribute}", what)]
        address = f"data.{type_}.{name}"
        node = module.by_address.get(address)
        if node is None or attribute != "rendered":
            pass
        elif type_ == "template_file":  # the template and the vars it reads, as templatefile()
            body = node.body
            return self._guarded(module, address, lambda: self._template_file(module, body, {}), f"{address}.rendered")
        elif type_ in ("template_cloudinit_config", "cloudinit_config"):
            parts = [part.get("content") for part in blocks(node.body.get("part"))]
            return self._follow(module, address, parts, (), f"{address}.rendered")
        if type_ == "aws_ssm_parameter" and attribute == "value":
            node = module.by_address.get(f"data.aws_ssm_parameter.{name}")
            if node is None or module.resolve(node.body.get("with_decryption")) in (False, "false"):
                return []
            parameter = module.resolve(node.body.get("name"))
            shown = parameter if isinstance(parameter, str) else ""
            if is_secret_name(name) or (shown and is_secret_name(shown.rstrip("/").rsplit("/", 1)[-1])):
                return [Secret(f"data.aws_ssm_parameter.{name}.value", "a parameter named as a secret")]
        return []


# The method that traces each kind of node (`_Tracer._inside`, the nodes inside it, for the rest).
_TRACE: dict[type, Callable[[_Tracer, Module, Any, str, Steps, dict[str, Any]], list[Secret]]] = {
    Literal: _Tracer._nothing,
    Text: _Tracer._nothing,
    Unparsed: _Tracer._nothing,
    syntax.BinaryOp: _Tracer._nothing,
    syntax.UnaryOp: _Tracer._nothing,
    Variable: _Tracer._traversal,
    GetAttr: _Tracer._traversal,
    Index: _Tracer._traversal,
    Splat: _Tracer._splat,
    String: _Tracer._string,
    Object: _Tracer._object,
    syntax.Tuple: _Tracer._tuple,
    syntax.Conditional: _Tracer._conditional,
    Call: _Tracer._call,
    syntax.ForTuple: _Tracer._for,
    syntax.ForObject: _Tracer._for,
}


def secret_variables(module: Module) -> dict[str, str]:
    """The module's variables that hold a secret, by name, with what each is: declared `sensitive =
    true`, or stored by the module as a secret (the whole value of a password argument, a secret-named
    key of a `secret_string`), directly or through a local."""
    found = module.memo.get("secret_variables")
    if found is not None:
        return found
    out: dict[str, str] = {}
    for node in module.of_kind("variable"):
        # declared sensitive and named as a secret: a username or an endpoint is marked sensitive too
        if is_secret_name(node.name) and module.resolve(node.body.get("sensitive")) in (True, "true"):
            out[node.name] = "a variable declared sensitive"
    for value, what in _secret_stores(module):
        for stored in _stored_values(module, value, 0):
            name = _variable_name(stored)
            if name is not None:
                out.setdefault(name, what)
    module.memo["secret_variables"] = out
    return out


def _secret_stores(module: Module) -> Iterator[tuple[Any, str]]:
    """(value, what keeps it) for each argument whose value the module keeps as a secret: a password
    argument, a SecureString parameter's value, the credentials a provider signs in with."""
    for type_, arguments in STORED_AS_SECRET.items():
        for resource in module.resources(type_):
            for argument in arguments:
                yield resource.body.get(argument), f"the value {resource.address}.{argument} stores"
    for parameter in module.resources("aws_ssm_parameter"):
        if module.resolve(parameter.body.get("type")) == "SecureString":
            yield parameter.body.get("value"), f"the value SecureString {parameter.address} stores"
    for provider in module.of_kind("provider"):
        for argument in ("secret_key", "token", "password"):
            yield provider.body.get(argument), f"the {argument} provider.{provider.type} signs in with"


def _stored_values(module: Module, value: Any, depth: int) -> Iterator[Any]:
    """The values written whole into a secret: `value` itself, a local's expression it names, and
    the secret-named members of an object (`jsonencode({ password = var.p })`)."""
    if depth > 8:
        return
    yield value
    if isinstance(value, dict):
        for key, item in value.items():
            if is_secret_name(key):
                yield from _stored_values(module, item, depth + 1)
        return
    if not isinstance(value, Expr):
        return
    try:
        tree = value.tree
    except (HclExpressionError, RecursionError):
        return
    while isinstance(tree, Parens):
        tree = tree.expr
    if isinstance(tree, Call) and tree.name in ("jsonencode", "tostring", "nonsensitive") and len(tree.args) == 1:
        inner = tree.args[0]
        if isinstance(inner, Object):
            for item in inner.items:
                key = _key_text(item.key, value.text)
                if key is not None and is_secret_name(key):
                    yield Expr(value.text[item.value.span[0] : item.value.span[1]])
        else:
            yield from _stored_values(module, Expr(value.text[inner.span[0] : inner.span[1]]), depth + 1)
        return
    chain = _chain(tree, value.text)
    if chain is not None and chain[0] == "local" and len(chain[1]) == 1:
        entry = module.locals.get(chain[1][0])
        if entry is not None:
            yield from _stored_values(module, entry[1], depth + 1)


def _variable_name(value: Any) -> str | None:
    """`name` for a value written as `var.name` alone."""
    if not isinstance(value, Expr):
        return None
    try:
        tree = value.tree
    except (HclExpressionError, RecursionError):
        return None
    chain = _chain(tree, value.text)
    if chain is not None and chain[0] == "var" and len(chain[1]) == 1 and not chain[2]:
        return chain[1][0]
    return None


def _chain(node: Any, text: str) -> tuple[str, list[str], Steps] | None:
    """A traversal as (root name, the attribute names of its address, the steps after them):
    `aws_iam_access_key.ci[0].secret` is ("aws_iam_access_key", ["ci", "secret"], ()): an index
    before the address is complete picks an instance of a resource, data source or module."""
    steps: list[GetAttr | Index] = []
    while isinstance(node, (GetAttr, Index, Parens)):
        if isinstance(node, Parens):
            node = node.expr
            continue
        steps.append(node)
        node = node.target
    if not isinstance(node, Variable):
        return None
    steps.reverse()
    root = node.name
    names: list[str] = []
    rest: list[str | int | None] = []
    wanted = _ADDRESS_NAMES.get(root, 2)
    for step in steps:
        if len(names) < wanted:
            if isinstance(step, GetAttr):
                names.append(step.name)
            elif root in ("var", "local"):
                return None  # `var[...]` is not Terraform
            continue
        rest.append(_step(step, text))
    return root, names, tuple(rest)


# How many names after the root make an address: `var.x`, `local.x`, `module.m.out`, `data.T.N.attr`, `T.N.attr`
_ADDRESS_NAMES = {"var": 1, "local": 1, "module": 2, "data": 3}


def _step(step: GetAttr | Index, text: str) -> str | int | None:
    if isinstance(step, GetAttr):
        return step.name
    key = step.key
    if isinstance(key, Literal) and isinstance(key.value, int) and not isinstance(key.value, bool):
        return key.value
    return _literal_string(key, text)


def _literal_string(node: Any, text: str) -> str | None:
    while isinstance(node, Parens):
        node = node.expr
    if isinstance(node, String) and not node.heredoc and node.is_literal:
        value = string_value(text[node.span[0] : node.span[1]])
        return value if isinstance(value, str) else None
    return None


def _key_text(key: Any, text: str) -> str | None:
    """An object key written as a name or a literal string."""
    if isinstance(key, Variable):
        return key.name
    return _literal_string(key, text)


def template_read(module: Module, path: Any, text: str) -> str | None:
    """The text of the template a `templatefile()` path argument names, as the module's group read
    it: `"${path.module}/x"`, `"${path.root}/x"` or a relative literal (from the root module's
    directory, as Terraform resolves it); None where it is not known."""
    while isinstance(path, Parens):
        path = path.expr
    if not isinstance(path, String) or path.heredoc:
        return None
    parts = list(path.parts)
    base, interpolated = "root", False
    if parts and isinstance(parts[0], Interpolation):
        first = parts[0].expr
        if not (isinstance(first, GetAttr) and isinstance(first.target, Variable) and first.target.name == "path"):
            return None
        if first.name not in ("module", "root"):
            return None
        base, parts, interpolated = first.name, parts[1:], True
    if not all(isinstance(p, Text) for p in parts):
        return None
    relative = "".join(p.text for p in parts if isinstance(p, Text))
    if interpolated != relative.startswith("/"):
        return None  # `"${path.module}x"`, or an absolute path
    relative = relative[1:] if interpolated else relative
    if not relative:
        return None
    call = FileCall("templatefile", 0, posixpath.normpath(relative), relative, base)
    for target in targets(call, str(module.directory), module.roots):
        read = module.reads.get(target)
        if read is not None and read.data is not None:
            return read.data.decode("utf-8", "replace")
    return None


def _template_names(content: str) -> set[str] | None:
    """The names a template reads (the roots of its references); None where it does not parse."""
    try:
        parts = syntax.parse_template(content)
    except HclExpressionError:
        return None
    names: set[str] = set()
    for part in parts:
        if isinstance(part, Unparsed):
            names.update(part.text.replace(".", " ").replace("[", " ").split())
            continue
        if isinstance(part, Text):
            continue
        for item in syntax.walk(part):
            if isinstance(item, Variable):
                names.add(item.name)
    return names


def sink_nodes(module: Module) -> Iterator[Node]:
    """Every block of the module a plaintext place may be in (resources, providers, outputs)."""
    for node in module.nodes:
        if node.kind in ("resource", "output", "provider"):
            yield node
