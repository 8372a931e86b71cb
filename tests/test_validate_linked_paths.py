"""A module in one PATH called from another PATH of the same run (`tfgen validate live modules`, live
calling ../modules/p) is judged with its callers' values, so it is cached, sharded and selected with
them: after a change to a caller alone, a warm run, the shards together and `--changed-since` report
what a full run without the cache does.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.git_repo import git
from support.in_process_cli import invoke_validate, one_stderr_line
from support.validate import POLICY_MODULE, write_tree

from tfgen.validate import ValidateOptions, validate_paths

# a module in a third PATH that passes its own input on to modules/p
WRAPPER = (
    'variable "actions" {\n  type = list(string)\n}\n\n'
    'module "p" {\n  source  = "../../modules/p"\n  actions = var.actions\n}\n'
)
NARROW, WIDE = '["s3:GetObject"]', '["*"]'
PATHS = ("live", "modules", "wrappers")


def caller(source: str, actions: str) -> str:
    return f'module "m" {{\n  source  = "{source}"\n  actions = {actions}\n}}\n'


def tree_files(actions: str, *, through_wrapper: bool = False) -> dict[str, str]:
    files = {"modules/p/main.tf": POLICY_MODULE, "live/main.tf": caller("../modules/p", actions)}
    if through_wrapper:
        files.update({"wrappers/w/main.tf": WRAPPER, "live/main.tf": caller("../wrappers/w", actions)})
    return files


def findings(tree: Path, paths: tuple[str, ...] = PATHS, **options: object) -> list[str]:
    report = validate_paths(
        [str(tree / p) for p in paths if (tree / p).exists()],
        ValidateOptions(run_checkov=False, **options),  # type: ignore[arg-type]
    )
    return sorted(f"{f.id} {f.status} {f.file}:{f.line}" for f in report.findings)


def failed_in_module(found: list[str]) -> set[str]:
    return {f.split()[0] for f in found if f.split()[1] == "failed" and "modules/p/main.tf:" in f}


@pytest.mark.parametrize("through_wrapper", [False, True], ids=["direct", "through-a-third-path"])
def test_a_warm_run_after_a_change_to_the_caller_alone_reports_what_a_run_without_the_cache_does(
    tmp_path: Path, through_wrapper: bool
) -> None:
    tree, cache = tmp_path / "tree", tmp_path / "cache"
    write_tree(tree, tree_files(NARROW, through_wrapper=through_wrapper))
    assert failed_in_module(findings(tree, cache_dir=cache)) == set()
    write_tree(tree, tree_files(WIDE, through_wrapper=through_wrapper))
    fresh = findings(tree)
    assert failed_in_module(fresh) >= {"TFGEN_IAM_4", "TFGEN_IAM_5"}
    assert findings(tree, cache_dir=cache) == fresh


def test_a_group_judged_again_takes_the_groups_linked_to_it_when_the_cache_lost_its_entry_alone(
    tmp_path: Path,
) -> None:
    tree, cache = tmp_path / "tree", tmp_path / "cache"
    write_tree(tree, tree_files(WIDE))
    fresh = findings(tree, cache_dir=cache)
    entries = sorted(cache.rglob("*.json"))
    group_entries = [e for e in entries if "/group/" in e.as_posix()]
    assert len(group_entries) == 2, entries  # live's group and modules' group
    for entry in group_entries:  # each lost alone (pruned, damaged): the other must not stand for both
        kept = entry.read_bytes()
        entry.unlink()
        assert findings(tree, cache_dir=cache) == fresh, entry
        entry.write_bytes(kept)


@pytest.mark.parametrize("count", [2, 3])
@pytest.mark.parametrize("through_wrapper", [False, True], ids=["direct", "through-a-third-path"])
def test_the_shards_together_report_what_one_run_does(tmp_path: Path, count: int, through_wrapper: bool) -> None:
    tree = write_tree(tmp_path / "tree", tree_files(WIDE, through_wrapper=through_wrapper))
    whole = findings(tree)
    assert failed_in_module(whole) >= {"TFGEN_IAM_4", "TFGEN_IAM_5"}
    assert sorted(f for i in range(1, count + 1) for f in findings(tree, shard=(i, count))) == whole


FILE_PATHS = {"caller": ("live/main.tf", "modules"), "module": ("live", "modules/p/main.tf")}


@pytest.mark.parametrize("given_as_a_file", FILE_PATHS)
def test_a_file_given_as_a_path_and_the_modules_it_joins_are_judged_together_on_a_warm_run(
    tmp_path: Path, given_as_a_file: str
) -> None:
    """`tfgen validate live/main.tf modules` (or `live modules/p/main.tf`): the file is checked on every
    run, so the groups module calls join to it are judged with it each time, never from the cache."""
    tree, cache, paths = tmp_path / "tree", tmp_path / "cache", FILE_PATHS[given_as_a_file]
    write_tree(tree, tree_files(NARROW))
    findings(tree, paths, cache_dir=cache)
    write_tree(tree, tree_files(WIDE))
    fresh = findings(tree, paths)
    assert failed_in_module(fresh) >= {"TFGEN_IAM_4", "TFGEN_IAM_5"}
    assert findings(tree, paths, cache_dir=cache) == fresh
    assert findings(tree, paths, cache_dir=cache) == fresh  # a second warm run, nothing changed
    write_tree(tree, tree_files(NARROW))
    assert findings(tree, ("live", "modules"), cache_dir=cache) == findings(tree, ("live", "modules"))


@pytest.mark.parametrize("flag", [("--shard", "1/2"), ("--changed-since", "HEAD")], ids=["shard", "changed-since"])
@pytest.mark.parametrize("given_as_a_file", FILE_PATHS)
def test_a_shard_or_changed_since_refuses_a_file_path_that_module_calls_join_to_a_directory_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given_as_a_file: str, flag: tuple[str, str]
) -> None:
    """Each takes module-call groups whole; a file given as a PATH is not one: exit 2, one line, naming it."""
    tree = write_tree(tmp_path / "tree", tree_files(WIDE))
    if flag[0] == "--changed-since":
        if GIT is None:
            pytest.skip("git is not installed")
        git(tree, "init", "-q", "-b", "main")
        git(tree, "add", "-A")
        git(tree, "commit", "-q", "-m", "tree")
    monkeypatch.chdir(tree)
    result = invoke_validate("--no-cache", "--skip-checkov", *flag, *FILE_PATHS[given_as_a_file])
    assert result.exit_code == 2
    line = one_stderr_line(result)
    assert line.startswith(f"tfgen: error: {flag[0]}: ") and "file given as a PATH" in line, line


GIT = shutil.which("git")


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_changed_since_checks_a_module_of_another_path_that_a_changed_caller_reaches_through_a_third(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = write_tree(tmp_path / "tree", tree_files(NARROW, through_wrapper=True))
    git(tree, "init", "-q", "-b", "main")
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "tree")
    write_tree(tree, tree_files(WIDE, through_wrapper=True))  # live/main.tf alone changes
    monkeypatch.chdir(tree)
    full = findings(tree)
    assert failed_in_module(full) >= {"TFGEN_IAM_4", "TFGEN_IAM_5"}
    changed = findings(tree, changed_since="HEAD")
    assert failed_in_module(changed) == failed_in_module(full)
    assert set(changed) <= set(full)


# --- any chain of calls across PATHs, any change, any cache state ----------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    before=st.tuples(st.sampled_from([NARROW, WIDE]), st.booleans()),
    after=st.tuples(st.sampled_from([NARROW, WIDE]), st.booleans()),
    drop=st.sets(st.integers(0, 5), max_size=2),
)
def test_any_change_to_a_caller_gives_the_warm_run_the_verdict_of_a_run_without_the_cache(
    tmp_path_factory: pytest.TempPathFactory,
    before: tuple[str, bool],
    after: tuple[str, bool],
    drop: set[int],
) -> None:
    """Whatever the caller passes and whichever way it reaches modules/p, and whatever the cache
    has lost of the first run's entries, the second run reports what a run without the cache does."""
    base = tmp_path_factory.mktemp("linked")
    tree, cache = base / "tree", base / "cache"
    write_tree(tree, tree_files(before[0], through_wrapper=before[1]))
    findings(tree, cache_dir=cache)
    entries = sorted(e for e in cache.rglob("*.json") if "/group/" in e.as_posix())
    for index in drop:
        if index < len(entries):
            entries[index].unlink()
    if before[1] and not after[1]:
        shutil.rmtree(tree / "wrappers")
    write_tree(tree, tree_files(after[0], through_wrapper=after[1]))
    assert findings(tree, cache_dir=cache) == findings(tree)


@pytest.mark.parametrize(
    "paths",
    [("live", "modules"), ("modules", "live"), ("live", "mlink"), ("live/main.tf", "modules")],
    ids=["live-modules", "modules-live", "through-a-link", "a-file-path-calls"],
)
def test_a_module_the_walk_skips_in_another_path_is_judged_with_its_caller(
    tmp_path: Path, paths: tuple[str, ...]
) -> None:
    """`tfgen validate live modules`, live calling ../modules/.mods/p (a directory the walk skips):
    Terraform loads it, so tfgen follows the call into the modules PATH and judges p there, with
    live's values, as `tfgen validate .` does, whichever way the PATHs are spelled (`mlink`, a link to
    modules) and when the caller is a file given as a PATH; a warm run after live widens its actions
    agrees."""
    tree, cache = tmp_path / "tree", tmp_path / "cache"
    files = {
        "modules/.mods/p/main.tf": POLICY_MODULE,
        "modules/main.tf": 'resource "aws_sns_topic" "t" {\n  name = "t"\n}\n',
        "live/main.tf": caller("../modules/.mods/p", NARROW),
    }
    write_tree(tree, files)
    (tree / "mlink").symlink_to("modules", target_is_directory=True)
    findings(tree, paths, cache_dir=cache)
    write_tree(tree, {"live/main.tf": caller("../modules/.mods/p", WIDE)})
    fresh = findings(tree, paths)
    failed = {f.split()[0] for f in fresh if " failed " in f and "/.mods/p/main.tf:" in f}
    assert failed >= {"TFGEN_IAM_4", "TFGEN_IAM_5"}, fresh
    assert findings(tree, paths, cache_dir=cache) == fresh
    if not paths[0].endswith(".tf"):  # a file PATH joined to a directory PATH's groups refuses --shard
        assert sorted(f for i in (1, 2) for f in findings(tree, paths, shard=(i, 2))) == fresh
