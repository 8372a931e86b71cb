"""The generated tree carries a .gitignore: local state, plans, overrides and caches stay out of git."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from support.init_tree import ANSWERS, init
from typer.testing import CliRunner

from tfgen.cli import app
from tfgen.errors import InternalError
from tfgen.init.config import build_config
from tfgen.init.render import render_baseline
from tfgen.init.verify import verify_rendered

# What README's bootstrap and a Terraform run leave beside the generated files.
IGNORED = [
    "terraform.tfstate",
    "terraform.tfstate.backup",
    "terraform.tfstate.1732881234.backup",
    ".terraform.tfstate.lock.info",
    ".terraform/providers/registry.terraform.io/hashicorp/aws/x",
    ".terraform/terraform.tfstate",
    "modules/kms/.terraform/modules.json",
    "backend_override.tf",
    "override.tf",
    "override.tf.json",
    "providers_override.tf.json",
    "baseline.tfplan",
    "tfplan",
    "crash.log",
    "crash.20261129.log",
    ".tfgen/txn/intent.json",
]
# What must be committed: HashiCorp says to commit the dependency lock file; the rest is the baseline.
KEPT = [
    ".terraform.lock.hcl",
    "main.tf",
    "backend.tf",
    "terraform.tfvars.example",
    "modules/kms/main.tf",
    "modules/kms/README.md",
    ".tfgen/manifest.json",
    ".gitignore",
    "README.md",
]


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        check=check,
        env={"GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo), "PATH": "/usr/bin:/bin"},
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not on PATH")
def test_git_ignores_local_state_plans_and_overrides_but_not_the_lock_file(tmp_path: Path) -> None:
    assert init(tmp_path)[0] == 0
    git(tmp_path, "init", "-q")
    for rel in IGNORED + [".terraform.lock.hcl"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x\n")
    ignored = git(tmp_path, "check-ignore", "--no-index", *IGNORED, check=False)
    assert sorted(ignored.stdout.split()) == sorted(IGNORED), ignored.stderr
    kept = git(tmp_path, "check-ignore", "--no-index", "-v", *KEPT, check=False)
    assert kept.returncode == 1 and kept.stdout == "", kept.stdout  # 1: none of them is ignored


def test_gitignore_is_a_generated_file_with_init_s_rules(tmp_path: Path) -> None:
    assert init(tmp_path)[0] == 0
    gitignore = tmp_path / ".gitignore"
    manifest = json.loads((tmp_path / ".tfgen/manifest.json").read_text())
    assert ".gitignore" in manifest["files"]
    gitignore.write_text(gitignore.read_text() + "my-notes.txt\n")
    code, output = init(tmp_path)
    assert code == 1 and ".gitignore" in output  # an edit is protected like any file's
    code, output = init(tmp_path, "--check")
    assert code == 1 and ".gitignore" in output


@pytest.mark.parametrize(
    ("old", "new", "complaint"),
    [
        ("*.tfstate\n", "", r"\.gitignore: .*\*\.tfstate"),  # a pattern dropped: state would be committed
        ("tfplan\n", "tfplan\n!.terraform.lock.hcl\n*.hcl\n", r"\.gitignore: .*\*\.hcl"),  # the lock file ignored
    ],
)
def test_a_gitignore_that_drifts_from_the_model_is_an_internal_error(old: str, new: str, complaint: str) -> None:
    config = build_config({"account_id": "123456789012", "region": "eu-west-1", "name": "acme"})
    files = render_baseline(config)
    assert old in files[".gitignore"]
    files[".gitignore"] = files[".gitignore"].replace(old, new, 1)
    with pytest.raises(InternalError, match=complaint):
        verify_rendered(files, config)


def test_a_file_the_model_does_not_know_is_an_internal_error() -> None:
    config = build_config({"account_id": "123456789012", "region": "eu-west-1", "name": "acme"})
    files = render_baseline(config)
    files["modules/kms/.gitignore"] = "*\n"
    with pytest.raises(InternalError, match=r"modules/kms/\.gitignore: rendered, but not in the blueprint model"):
        verify_rendered(files, config)
    del files["modules/kms/.gitignore"], files[".gitignore"]
    with pytest.raises(InternalError, match=r"\.gitignore: in the blueprint model, but not rendered"):
        verify_rendered(files, config)


def test_a_gitignore_tfgen_never_wrote_is_left_alone_and_init_still_succeeds(tmp_path: Path) -> None:
    # `tfgen init` defaults to --out . : a repository's own .gitignore is there. Refusing the whole init
    # (as for any foreign file) would break every such run; overwriting it would lose the user's lines.
    mine = "node_modules/\n*.swp\n"
    (tmp_path / ".gitignore").write_text(mine)
    args = ["init", "--non-interactive", "--skip-checkov", "--out", str(tmp_path), *ANSWERS]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / ".gitignore").read_text() == mine
    assert ".gitignore" in result.stderr and "*.tfstate" in result.stderr  # says what to add
    assert ".gitignore" not in json.loads((tmp_path / ".tfgen/manifest.json").read_text())["files"]
    assert CliRunner().invoke(app, args).exit_code == 0
    check = CliRunner().invoke(app, [*args, "--check"])
    assert check.exit_code == 0, check.output
    assert (tmp_path / ".gitignore").read_text() == mine
