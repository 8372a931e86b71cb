"""README's CI recipes, run as written: pre-commit against a local clone of tfgen at a commit, the
GitHub workflow it writes, and the Action's own steps (action.yml) as a script.

What cannot run here is said in docs/ci.md: GitHub's `uses:` steps (setup-python, the two caches,
the SARIF upload) are stood in for (a fresh virtual environment; checkov's environment where a
restored cache puts it) and checked for their inputs only. A first run's checkov set-up is in
tests/test_validate_setup_checkov.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml
from support.recipes import cached_checkov, clean_env, git, hosted_tfgen, readme_block, tfgen_clone, with_clone
from support.validate import checkov_or_skip, write_tree

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SECRET_TREE = {"infra/main.tf": 'variable "db_password" {\n  default = "literal-password"\n}\n'}
CLEAN_TREE = {"infra/main.tf": 'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n'}
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the recipes' clone of tfgen comes from, committed once for the module's tests (a copy
    and a commit of the whole working tree: 1-1.4 CPU s); each test clones it, and nothing writes
    to it (pre-commit clones it too)."""
    return hosted_tfgen(tmp_path_factory.mktemp("tfgen"))


def _user_repo(base: Path) -> Path:
    repo = write_tree(base / "user-repo", SECRET_TREE)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")  # pre-commit checks the files git tracks
    return repo


def _setup_python(target: Path) -> Path:
    """Stands in for actions/setup-python: a fresh Python that finds tfgen's dependencies already
    installed (this environment's, after its own; as a pip cache would serve them), so the Action's
    install step builds and installs tfgen itself without resolving ~20 packages again. Its pip is
    this environment's too (`python -m pip` installs into the fresh Python's own prefix): ensurepip
    would spend 3.4 CPU s unpacking another copy."""
    venv.EnvBuilder(with_pip=False).create(target)
    site = next((target / "lib").glob("python3*/site-packages"))
    dependencies = [p for p in map(Path, sys.path) if p.name == "site-packages" and p.is_dir()]
    (site / "zz-tfgen-dependencies.pth").write_text("".join(f"{p}\n" for p in dependencies))
    return target


def test_the_pre_commit_recipe_runs_the_hook_from_a_clone_at_a_commit(hosted: Path, tmp_path: Path) -> None:
    if shutil.which("pre-commit", path=str(BIN)) is None:
        pytest.skip("pre-commit is not installed (python3 dev.py setup installs it)")
    clone, commit = tfgen_clone(hosted, tmp_path)
    repo = _user_repo(tmp_path)
    cache = tmp_path / "cache"
    cached_checkov(cache, checkov_or_skip())  # the hook's first run left it there (or: the test below)
    env = clean_env(
        HOME=str(tmp_path / "home"),
        XDG_CACHE_HOME=str(cache),
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit"),
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    recipe = with_clone(readme_block("### In pre-commit"), clone)
    failed = subprocess.run(["bash", "-e", "-c", recipe], cwd=repo, env=env, capture_output=True, text=True)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())
    assert config["repos"][0]["repo"] == str(hosted) and config["repos"][0]["rev"] == commit
    assert re.search(r"^tfgen validate\.+Failed$", failed.stdout, re.M), failed.stdout
    assert "infra/main.tf:2: TFGEN_SECRETS_2 [secrets/critical]" in failed.stdout
    assert "setting up checkov" not in failed.stdout  # found where its first run put it

    write_tree(repo, CLEAN_TREE)
    passed = subprocess.run(["pre-commit", "run", "--all-files"], cwd=repo, env=env, capture_output=True, text=True)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^tfgen validate\.+Passed$", passed.stdout, re.M), passed.stdout


def test_the_workflow_recipe_pins_the_action_at_the_clones_commit(hosted: Path, tmp_path: Path) -> None:
    clone, commit = tfgen_clone(hosted, tmp_path)
    git(clone, "remote", "set-url", "origin", "https://github.com/acme/tfgen.git")  # hosted on GitHub
    repo = _user_repo(tmp_path)
    recipe = with_clone(readme_block("### In GitHub Actions"), clone)
    subprocess.run(["bash", "-e", "-c", recipe], cwd=repo, env=clean_env(), check=True)
    workflow = yaml.safe_load((repo / ".github/workflows/tfgen.yml").read_text())
    job = workflow["jobs"]["tfgen"]
    assert job["permissions"] == {"contents": "read", "security-events": "write"}
    tfgen_step = job["steps"][1]
    assert tfgen_step["uses"] == f"acme/tfgen@{commit}"
    assert tfgen_step["with"] == {"path": ".", "cache-key": "${{ secrets.TFGEN_CACHE_KEY }}"}
    inputs = yaml.safe_load((clone / "action.yml").read_text())["inputs"]
    assert set(tfgen_step["with"]) <= set(inputs)


_EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def _substitute(text: str, context: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in context, f"action.yml uses {name}, which this stand-in for GitHub does not know"
        return context[name]

    return _EXPRESSION.sub(value, text)


def test_the_actions_steps_run_as_a_script(hosted: Path, tmp_path: Path) -> None:
    checkov = checkov_or_skip()
    clone, commit = tfgen_clone(hosted, tmp_path)
    action = yaml.safe_load((clone / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    workspace = _user_repo(tmp_path)
    cache = tmp_path / "cache"
    python = _setup_python(tmp_path / "setup-python")
    outputs = tmp_path / "github-output"
    env = clean_env(
        HOME=str(tmp_path / "home"),
        XDG_CACHE_HOME=str(cache),
        GITHUB_ACTION_PATH=str(clone),
        GITHUB_OUTPUT=str(outputs),
        GITHUB_WORKSPACE=str(workspace),
        RUNNER_OS="Linux",
        PATH=f"{python / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    context = {f"inputs.{name}": str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    context.update({"runner.os": "Linux", "github.sha": commit})
    stood_in: list[str] = []
    verdict: int | None = None
    for step in action["runs"]["steps"]:
        if "uses" in step:
            stood_in.append(step["uses"].split("@")[0])
            if step["uses"].startswith("actions/cache@"):
                path = _substitute(step["with"]["path"], context)
                if path.endswith("/tfgen-checkov"):  # a restored cache: checkov's environment is there
                    assert Path(path) == cache / "tfgen-checkov"
                    cached_checkov(cache, checkov)
            if step["uses"].startswith("github/codeql-action/upload-sarif@"):
                sarif = workspace / context["inputs.sarif-file"]
                assert _substitute(step["with"]["sarif_file"], context) == "tfgen.sarif"
                assert json.loads(sarif.read_text())["version"] == "2.1.0"  # `hashFiles(...) != ''` holds
            continue
        assert step["shell"] == "bash"
        step_env = {**env, **{k: _substitute(str(v), context) for k, v in step.get("env", {}).items()}}
        outputs.write_text("")
        done = subprocess.run(
            ["bash", "-e", "-c", _substitute(step["run"], context)],
            cwd=workspace,
            env=step_env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if step.get("name") == "Verdict":
            verdict = done.returncode
            continue
        assert done.returncode == 0, f"{step.get('name')}: {done.stdout}{done.stderr}"
        for line in outputs.read_text().splitlines():
            key, _, value = line.partition("=")
            context[f"steps.{step['id']}.outputs.{key}"] = value
        if step.get("id") == "validate":
            assert "infra/main.tf:2: TFGEN_SECRETS_2 [secrets/critical]" in done.stdout  # the text report in the log
            assert "setting up checkov" not in done.stderr  # found where the restored cache put it
    assert stood_in == [
        "actions/setup-python",
        "actions/cache",
        "actions/cache",
        "github/codeql-action/upload-sarif",
    ]
    assert context["steps.validate.outputs.exit-code"] == "1" and verdict == 1  # the job fails after the upload
    assert (python / "bin" / "tfgen").is_file()  # the install step put tfgen in setup-python's Python
    sarif = json.loads((workspace / "tfgen.sarif").read_text())
    assert any(r["ruleId"] == "TFGEN_SECRETS_2" for r in sarif["runs"][0]["results"])
