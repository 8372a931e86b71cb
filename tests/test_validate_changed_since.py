"""`tfgen validate --changed-since REF`: a pull request checks, and reports, only the module-call groups
holding a file changed since REF in git: committed since, staged or not, deleted, or untracked and not
ignored, and the groups of the modules a changed file called at REF. Each group's findings are those a
full run reports for it, and every finding a change brings is among them. No git, a PATH outside a git work
tree or a REF that names no commit is one line, exit 2, nothing written.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import subprocess_cli
from support.git_repo import git
from support.in_process_cli import invoke_validate
from support.in_process_cli import tfgen as run_tfgen
from support.validate import checkov_or_skip, write_tree

SECRET = 'variable "{name}" {{\n  default = "literal-password"\n}}\n'
TREE = {
    # group a: live/a calls modules/m
    "live/a/main.tf": 'module "m" {\n  source = "../../modules/m"\n}\n',
    "modules/m/main.tf": SECRET.format(name="m_password"),
    # group b: two files
    "live/b/main.tf": SECRET.format(name="b_password"),
    "live/b/extra.tf": SECRET.format(name="b_extra_password"),
    # group c
    "live/c/main.tf": SECRET.format(name="c_password"),
    ".gitignore": "ignored/\n",
}
GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed")


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    repo = write_tree(tmp_path / "repo", TREE)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "tree")
    return repo


def validate(cwd: Path, *args: str, in_a_process: bool = False) -> subprocess.CompletedProcess[str]:
    """The JSON report of `tfgen validate ARGS` run in `cwd`: in this process, or through `python -m tfgen`."""
    run = subprocess_cli.tfgen if in_a_process else run_tfgen
    return run("validate", "--no-cache", "-f", "json", *args, cwd=cwd)


def files_of(result: subprocess.CompletedProcess[str]) -> set[str]:
    assert result.returncode in (0, 1), result.stderr
    return {f["file"] for f in json.loads(result.stdout)["findings"]}


def test_nothing_changed_checks_nothing_and_passes(repo: Path) -> None:
    result = validate(repo, "--skip-checkov", "--changed-since", "HEAD")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["findings"] == [] and report["summary"]["files"] == 0 and report["changed_since"] == "HEAD"
    text = run_tfgen("validate", "--no-cache", "--skip-checkov", "--changed-since", "HEAD", cwd=repo)
    assert text.stdout.splitlines()[-1].endswith("0 errors; only what changed since HEAD")


def test_only_the_groups_holding_a_changed_file_are_checked_and_reported(repo: Path) -> None:
    full = json.loads(validate(repo, "--skip-checkov").stdout)
    (repo / "modules/m/main.tf").write_text(SECRET.format(name="m_password") + "# edited, not staged\n")
    only_a = validate(repo, "--skip-checkov", "--changed-since", "HEAD")
    assert (
        files_of(only_a) == {"live/a/main.tf", "modules/m/main.tf"}
        and json.loads(only_a.stdout)["summary"]["files"] == 2
    )

    git(repo, "commit", "-qam", "edit m")
    (repo / "live/b/main.tf").write_text(SECRET.format(name="b_password") + "# staged\n")
    git(repo, "add", "live/b/main.tf")
    both = validate(repo, "--skip-checkov", "--changed-since", "HEAD~1")  # committed since, and staged
    assert files_of(both) == {"live/a/main.tf", "modules/m/main.tf", "live/b/main.tf", "live/b/extra.tf"}
    wanted = [f for f in full["findings"] if f["file"] in files_of(both)]
    assert json.loads(both.stdout)["findings"] == wanted  # each group's findings are the full run's

    git(repo, "commit", "-qm", "edit b")
    write_tree(repo, {"live/c/new.tf": "# untracked\n", "ignored/x.tf": SECRET.format(name="ignored")})
    assert files_of(validate(repo, "--skip-checkov", "--changed-since", "HEAD")) == {"live/c/main.tf"}
    (repo / "live/c/new.tf").unlink()
    (repo / "live/b/extra.tf").unlink()  # a deleted file: its group's findings change
    assert files_of(validate(repo, "--skip-checkov", "--changed-since", "HEAD")) == {"live/b/main.tf"}


def test_a_module_a_changed_file_called_at_ref_is_checked_though_nothing_calls_it_now(repo: Path) -> None:
    """live/a stops calling modules/m: m now stands alone (a root, its variables at their defaults),
    a group of its own holding no changed file, yet the change is what made it so."""
    (repo / "live/a/main.tf").write_text("# the call to modules/m is gone\n")
    assert files_of(validate(repo, "--skip-checkov", "--changed-since", "HEAD")) == {"modules/m/main.tf"}
    (repo / "live/a/main.tf").unlink()  # deleted: what it called at REF is checked too
    assert files_of(validate(repo, "--skip-checkov", "--changed-since", "HEAD")) == {"modules/m/main.tf"}
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a gone")
    write_tree(repo, {"live/a/main.tf": 'module "m" {\n  source = "../../modules/m"\n}\n'})  # untracked, new
    assert files_of(validate(repo, "--skip-checkov", "--changed-since", "HEAD")) == {
        "live/a/main.tf",
        "modules/m/main.tf",
    }


@pytest.mark.parametrize("how", ["call removed", "link pointed elsewhere"])
def test_a_module_called_through_a_directory_link_at_ref_is_checked(repo: Path, how: str) -> None:
    """live/a called modules/m through its link `live/a/shared` at REF: after the change, m stands alone."""
    (repo / "live/a/shared").symlink_to(Path("..", "..", "modules", "m"), target_is_directory=True)
    (repo / "live/a/main.tf").write_text('module "m" {\n  source = "./shared"\n}\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "through a link")
    if how == "call removed":
        (repo / "live/a/main.tf").write_text("# the call is gone\n")
    else:
        (repo / "live/a/shared").unlink()
        (repo / "live/a/shared").symlink_to(Path("..", "b"), target_is_directory=True)
    assert "modules/m/main.tf" in files_of(validate(repo, "--skip-checkov", "--changed-since", "HEAD"))


@pytest.mark.parametrize(
    "name", ["live/c/a b.tf", "live/c/caf\udce9.tf", "live/c/new\nline.tf", "live/c/x:HEAD.tf", "live/c/-x.tf"]
)
def test_any_file_name_git_lists_is_read_at_ref(repo: Path, name: str) -> None:
    """Committed, then changed, deleted or left untracked: the group holding it is checked, nothing else."""
    path = repo / os.fsencode(name).decode("utf-8", "surrogateescape")
    path.write_bytes(b'module "m" {\n  source = "../../modules/m"\n}\n')
    assert files_of(validate(repo, "--skip-checkov", "--changed-since", "HEAD")) >= {"live/c/main.tf"}  # untracked
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "odd name")
    path.unlink()
    report = files_of(validate(repo, "--skip-checkov", "--changed-since", "HEAD"))
    assert report == {"live/c/main.tf", "modules/m/main.tf", "live/a/main.tf"}  # m's group: c called it at REF


def test_a_terraform_file_too_large_to_read_at_ref_checks_every_group(repo: Path) -> None:
    big = repo / "live/c/big.tf"
    big.write_bytes(b'# source = "./x"\n' * (2 * 1024 * 1024 // 17 + 1))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "big")
    big.unlink()
    report = json.loads(validate(repo, "--skip-checkov", "--changed-since", "HEAD").stdout)
    assert report["summary"]["files"] == len(TREE) - 1  # every Terraform file


def test_a_partial_clone_missing_a_file_at_ref_checks_every_group_and_fetches_nothing(
    repo: Path, tmp_path: Path
) -> None:
    """A blob-less clone holds no copy of a file as it was at REF: its calls are unknown, so every group is
    checked; git is never asked to fetch it (the origin is gone here: a fetch would fail the run)."""
    (repo / "live/c/main.tf").write_text(SECRET.format(name="c_password") + "# edited\n")
    git(repo, "commit", "-qam", "edit c")
    git(repo, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--filter=blob:none", f"file://{repo}", str(clone))
    shutil.rmtree(repo)
    result = validate(clone, "--skip-checkov", "--changed-since", "HEAD~1")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert json.loads(result.stdout)["summary"]["files"] == len([n for n in TREE if n.endswith(".tf")])


def test_a_submodule_moved_to_another_commit_is_checked(repo: Path, tmp_path: Path) -> None:
    """git lists a submodule whose commit changed, not the files that changed in it: each is checked."""
    vendored = write_tree(tmp_path / "vendored", {"main.tf": 'resource "aws_sns_topic" "t" {\n  name = "t"\n}\n'})
    git(vendored, "init", "-q", "-b", "main")
    git(vendored, "add", "-A")
    git(vendored, "commit", "-qm", "module")
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(vendored), "vendor/mod")
    git(repo, "commit", "-qm", "vendor")
    (repo / "vendor/mod/main.tf").write_text(SECRET.format(name="vendored_password"))
    git(repo / "vendor/mod", "commit", "-qam", "a secret")
    assert files_of(validate(repo, "--skip-checkov", "--changed-since", "HEAD")) == {"vendor/mod/main.tf"}


def test_a_path_below_the_top_and_a_working_directory_elsewhere(repo: Path) -> None:
    (repo / "live/c/main.tf").write_text(SECRET.format(name="c_password") + "# edited\n")
    (repo / "modules/m/main.tf").write_text(SECRET.format(name="m_password") + "# edited\n")
    from_live = validate(repo / "live", "c", "--skip-checkov", "--changed-since", "HEAD")
    assert files_of(from_live) == {"main.tf"}  # live/c only: modules/m is not under the PATH
    outside = validate(repo.parent, "repo/live", "--skip-checkov", "--changed-since", "HEAD")
    assert files_of(outside) == {"c/main.tf"}


@pytest.mark.parametrize(
    ("ref", "setup", "error"),
    [
        (
            "no-such-branch",
            None,
            "tfgen: error: --changed-since no-such-branch: no such commit in the git repository of .",
        ),
        ("--output=x", None, "tfgen: error: --changed-since --output=x: no such commit in the git repository of ."),
        ("HEAD", "not-a-repo", "tfgen: error: --changed-since HEAD: . is not in a git work tree"),
        ("HEAD", "no-git", "tfgen: error: --changed-since HEAD: git is not installed or not on PATH;"),
    ],
)
def test_no_git_or_an_unknown_ref_is_one_line_exit_2(
    repo: Path, tmp_path: Path, ref: str, setup: str | None, error: str
) -> None:
    cwd, env = repo, None
    if setup == "not-a-repo":
        cwd = write_tree(tmp_path / "plain", {"main.tf": SECRET.format(name="p")})
    elif setup == "no-git":
        env = {"PATH": str(tmp_path / "empty-bin")}
    result = run_tfgen("validate", "--no-cache", "--skip-checkov", f"--changed-since={ref}", cwd=cwd, env=env)
    assert result.returncode == 2 and result.stdout == "", result.stderr
    assert result.stderr.splitlines() == [result.stderr.rstrip("\n")] and result.stderr.startswith(error)
    assert not (cwd / "x").exists() and "Traceback" not in result.stderr


@pytest.mark.checkov
def test_checkov_scans_only_the_changed_group_and_reports_what_a_full_run_does(repo: Path) -> None:
    """Through `python -m tfgen`, git and checkov its children, as in a pull request's CI job."""
    checkov_or_skip()
    write_tree(repo, {"live/c/bucket.tf": 'resource "aws_s3_bucket" "c" {\n  bucket = "c"\n}\n'})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "bucket")
    full = json.loads(validate(repo, in_a_process=True).stdout)
    (repo / "live/c/bucket.tf").write_text('resource "aws_s3_bucket" "c" {\n  bucket = "c-edited"\n}\n')
    changed = validate(repo, "--changed-since", "HEAD", in_a_process=True)
    report = json.loads(changed.stdout)
    assert {f["file"] for f in report["findings"]} == {"live/c/main.tf", "live/c/bucket.tf"}
    assert any(f["engine"] == "checkov" for f in report["findings"]), report["findings"]
    strip = lambda f: {k: v for k, v in f.items() if k not in ("message",)}  # noqa: E731
    wanted = [strip(f) for f in full["findings"] if f["file"].startswith("live/c/")]
    assert [strip(f) for f in report["findings"]] == wanted


# A small monorepo whose findings depend on who calls whom: a module's bucket encryption reads
# `var.algo` (AES256 by default, aws:kms where a caller passes it), and its TLS finding names its calls.
_ENCRYPTED = """variable "algo" {{
  type    = string
  default = "AES256"
}}

resource "aws_s3_bucket" "this" {{
  bucket = "{name}"
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {{
  bucket = aws_s3_bucket.this.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm = var.algo
    }}
  }}
}}
"""
_CALL = 'module "{name}" {{\n  source = "{source}"\n{extra}}}\n'
_CHOICES = {
    "live/a/main.tf": [
        None,
        "# no module\n",
        _CALL.format(name="m", source="../../modules/m", extra='  algo   = "aws:kms"\n'),
        _CALL.format(name="m", source="../../modules/m", extra=""),
        _CALL.format(name="n", source="../../modules/n", extra=""),
    ],
    "live/b/main.tf": [
        None,
        _CALL.format(name="m", source="../../modules/m", extra=""),
        _CALL.format(name="n", source="../../modules/n", extra='  algo   = "aws:kms"\n'),
    ],
    "modules/m/main.tf": [
        _ENCRYPTED.format(name="m"),
        _ENCRYPTED.format(name="m") + _CALL.format(name="n", source="../n", extra=""),
    ],
    "modules/n/main.tf": [None, _ENCRYPTED.format(name="n")],
}
_TREES = st.fixed_dictionaries({rel: st.sampled_from(options) for rel, options in _CHOICES.items()})


def _write(repo: Path, tree: dict[str, str | None]) -> None:
    for rel, text in tree.items():
        path = repo / rel
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


def _findings(*args: str) -> set[str]:
    result = invoke_validate("--no-cache", "--skip-checkov", "-f", "json", *args)
    assert result.exit_code in (0, 1), result.output + result.stderr
    return {json.dumps(f, sort_keys=True) for f in json.loads(result.stdout)["findings"]}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=_TREES, after=_TREES)
def test_every_finding_a_change_brings_is_in_the_pull_requests_report(
    tmp_path_factory: pytest.TempPathFactory, before: dict[str, str | None], after: dict[str, str | None]
) -> None:
    """Whatever the change does to the calls between roots and modules (adds, removes, deletes a
    caller or a module), a finding the full run reports after it and did not before is in
    `--changed-since`'s report, and that report holds nothing the full run does not."""
    repo = tmp_path_factory.mktemp("pr")
    _write(repo, before)
    (repo / "README").write_text("a repository\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    full_before = _findings(str(repo))
    _write(repo, after)
    full_after = _findings(str(repo))
    changed = _findings("--changed-since", "HEAD", str(repo))
    assert changed <= full_after
    assert full_after - full_before <= changed
