"""tfgen validate ships whole: every package is in pyproject's list, the pre-commit hook exists."""

from __future__ import annotations

import sys

import pytest
from validate_support import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def test_every_validate_package_is_packaged() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    packages = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "tfgen" / "validate").rglob("__init__.py")}
    assert packages - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"


def test_pre_commit_hooks() -> None:
    yaml = pytest.importorskip("yaml")
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["tfgen-validate"]["entry"] == "tfgen validate"
    assert hooks["tfgen-validate"]["language"] == "python"
    assert hooks["tfgen-validate"]["pass_filenames"] is False
    assert hooks["tfgen-validate-rules"]["entry"] == "tfgen validate --skip-checkov"
    import re

    pattern = re.compile(hooks["tfgen-validate"]["files"])
    assert all(pattern.search(name) for name in ("main.tf", "prod.tfvars", "main.tf.json", "x.tfvars.json"))
    assert not pattern.search("README.md")
