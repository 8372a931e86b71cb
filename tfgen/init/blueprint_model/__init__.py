"""What the blueprints mean: the model a render is compared with after python-hcl2 parses it back.

`tfgen.init.verify` parses every rendered HCL file and checks it against this package:

* `resource_addresses(cfg)`: per file, the exact set of addresses it declares (`type.name`,
  `data.type.name`, `ephemeral.type.name`, `module.name`). Files listed with an empty set must
  declare none.
* `expectations(cfg)`: per block, the security-relevant attributes and their values.

`expect` holds what they share (`Expect`, a policy `document`, ...); one module per blueprint
module (`kms`, `s3`, `cloudtrail`, `iam`, `secrets`, `account_iam`, `account_encryption`,
`account_audit`: static Terraform, the same expectations for every render) and `root` for the
files that depend on the answers. Values are compared as `tfgen.hcl.values.normalise` reads them,
not as python-hcl2 prints them: literals as Python values, references and function calls as
`Expr("var.x")`, strings with interpolations as `Template("arn:${var.partition}:...")`.

Attribute paths are dotted; a nested block is named by its type (`rule.apply_server_side_
encryption_by_default.sse_algorithm`) and `name[i]` picks its i-th repetition (the first without
an index). A policy document's statements are matched by `sid`, whether written as a `statement`
block or as the `content` of a `dynamic "statement"` (which adds its `for_each`), so their order
in the file does not matter; the document must hold exactly the model's sids.
"""

from __future__ import annotations

from typing import Any

from tfgen.init.blueprint_model import (
    account_audit,
    account_encryption,
    account_iam,
    cloudtrail,
    iam,
    kms,
    root,
    s3,
    secrets,
)
from tfgen.init.blueprint_model.expect import Expect, versions

ROOT_FILES = (
    "versions.tf",
    "providers.tf",
    "backend.tf",
    "main.tf",
    "variables.tf",
    "outputs.tf",
    "terraform.tfvars.example",
)
MODULES = ("kms", "s3", "cloudtrail", "iam", "secrets", "account_iam", "account_encryption", "account_audit")
MODULE_FILES = ("main.tf", "variables.tf", "outputs.tf", "versions.tf")

# The generated .gitignore, pattern for pattern (comments and blank lines aside): what a Terraform
# run and README's bootstrap leave in the tree. Never `.terraform.lock.hcl`, which HashiCorp says to
# commit; tests/test_init_gitignore.py asks `git check-ignore` what these patterns ignore.
GITIGNORE = ".gitignore"
GITIGNORE_PATTERNS = (
    ".terraform/",
    "*.tfstate",
    "*.tfstate.*",
    "override.tf",
    "override.tf.json",
    "*_override.tf",
    "*_override.tf.json",
    "*.tfplan",
    "tfplan",
    "crash.log",
    "crash.*.log",
    ".tfgen/txn/",
)


def rendered_paths() -> set[str]:
    """Every file a render holds (the manifest aside): no more, no fewer."""
    paths = set(ROOT_FILES) | {"README.md", GITIGNORE}
    for module in MODULES:
        paths |= {f"modules/{module}/{name}" for name in (*MODULE_FILES, "README.md")}
    return paths


def _modules() -> dict[str, Any]:
    return {
        "kms": kms,
        "s3": s3,
        "cloudtrail": cloudtrail,
        "iam": iam,
        "secrets": secrets,
        "account_iam": account_iam,
        "account_encryption": account_encryption,
        "account_audit": account_audit,
    }


def resource_addresses(cfg: Any) -> dict[str, set[str]]:
    """Every address each rendered HCL file declares (Terraform spelling), exactly."""
    wanted: dict[str, set[str]] = {path: set() for path in ROOT_FILES}
    wanted["main.tf"] = set(root.addresses(cfg))
    for name, module in _modules().items():
        for file in MODULE_FILES:
            wanted[f"modules/{name}/{file}"] = set()
        wanted[f"modules/{name}/main.tf"] = set(module.ADDRESSES)
    return wanted


def expectations(cfg: Any) -> list[Expect]:
    """Security-relevant attributes of every rendered HCL file, root first."""
    found = [versions(), *root.expectations(cfg)]
    found += [versions(f"modules/{name}/versions.tf") for name in MODULES]
    for name, module in _modules().items():
        found += [expect.under(f"modules/{name}") for expect in module.EXPECTS]
    return found
