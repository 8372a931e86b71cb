"""The pre-commit hooks exist and match what README says (packaging itself: tests/test_packaging.py)."""

from __future__ import annotations

import pytest
from support.validate import ROOT


def test_pre_commit_hooks() -> None:
    yaml = pytest.importorskip("yaml")
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["tfgen-validate"]["entry"] == "tfgen validate --setup-checkov"  # no variable on a fresh machine
    assert hooks["tfgen-validate"]["language"] == "python"
    assert hooks["tfgen-validate"]["pass_filenames"] is False
    assert hooks["tfgen-validate-rules"]["entry"] == "tfgen validate --skip-checkov"
    import re

    pattern = re.compile(hooks["tfgen-validate"]["files"])
    assert all(pattern.search(name) for name in ("main.tf", "prod.tfvars", "main.tf.json", "x.tfvars.json"))
    assert not pattern.search("README.md")
