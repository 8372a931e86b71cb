"""The modules are plain Terraform where they lie: `terraform fmt` and `tfgen validate` read them in place,
init copies them verbatim."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import terraform_grammar
from support.subprocess_cli import tfgen

from tfgen.init.config import build_config
from tfgen.init.render import blueprint_root, render_baseline

MODULES = blueprint_root() / "modules"


def test_modules_hold_no_templates() -> None:
    assert sorted(p.name for p in MODULES.rglob("*.j2")) == []
    assert sorted(p.name for p in MODULES.iterdir() if p.is_dir() and not p.name.startswith("_")) == [
        "cloudtrail",
        "iam",
        "kms",
        "s3",
        "secrets",
    ]


@pytest.mark.skipif(terraform_grammar.skip_reason() is not None, reason=terraform_grammar.skip_reason() or "")
def test_terraform_fmt_finds_the_modules_canonical_in_place() -> None:
    result = terraform_grammar.check_tree(MODULES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_tfgen_validate_passes_the_modules_in_place(tmp_path: Path) -> None:
    result = tfgen("validate", "--skip-checkov", "--no-cache", "--require-files", str(MODULES), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASSED: 15 files" in result.stdout + result.stderr


def test_init_copies_the_modules_byte_for_byte() -> None:
    files = render_baseline(build_config({"account_id": "123456789012", "region": "eu-west-1", "name": "acme"}))
    sources = {
        p.relative_to(blueprint_root()).as_posix(): p
        for p in MODULES.rglob("*")
        if p.is_file() and p.suffix in (".tf", ".md")
    }
    assert sources and all(files[rel].encode("utf-8") == path.read_bytes() for rel, path in sources.items())
    # versions.tf is rendered once from tfgen.init.facts: the root and every module pin the same
    assert {files[f"modules/{m}/versions.tf"] for m in ("cloudtrail", "iam", "kms", "s3", "secrets")} == {
        files["versions.tf"]
    }
