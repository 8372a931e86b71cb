"""A pull request's edit to one root rescans that root and the modules it calls, not the other
roots calling the same modules, and reports exactly what a run without the cache reports.

tests/cases/pr_roots is one module-call group with three roots: `live/a` and `live/b` call
`modules/shared` with different values (its findings differ per instance), `live/c` calls it
through `modules/app`; `modules/shared` holds a literal key (checkov's secrets framework) and a
policy document (a graph check). A wrapper around the real checkov records which Terraform files
each of its copies holds.

Every comparison's reference is a run without the cache, computed once per session (`shared_json`,
across pytest-xdist workers) for all the tests that need it: tfgen starts checkov once per PATH
and batch (~2.2 s of CPU before checkov reads a file, most of a run on trees this small), so the
pr_roots states are copies side by side in one PATH, one checkov start for all of them; each
state's findings there are the ones a run over that state alone gives (measured: identical for
every state below).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from support.in_process_cli import tfgen
from support.validate import checkov_or_skip, shared_json, write_tree

from tfgen.validate import ValidateOptions, pipeline, units

CASE = Path(__file__).parent / "cases" / "pr_roots"
WRAPPER = """#!/bin/sh
for arg in "$@"; do
  case "$arg" in
    --directory=*)
      (cd "${{arg#--directory=}}" && find . -name '*.tf' | sort | tr '\\n' ' ') >> '{log}'
      echo >> '{log}';;
  esac
done
exec '{real}' "$@"
"""


def findings(result: object) -> list[str]:
    """Every field of every finding but the run's own (duration), in a comparable order."""
    assert result.returncode in (0, 1), result.stderr  # type: ignore[attr-defined]
    report = json.loads(result.stdout)  # type: ignore[attr-defined]
    return sorted(json.dumps(f, sort_keys=True) for f in report["findings"])


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    return Path(shutil.copytree(CASE, tmp_path / "tree"))


def edit_a(tree: Path) -> None:
    """live/a changes: a new resource, and another value for the module it calls."""
    main = tree / "live" / "a" / "main.tf"
    main.write_text(
        main.read_text().replace('name   = "a"', 'name   = "a"\n  rotate = false')
        + 'resource "aws_sns_topic" "new" {\n  name = "a-new"\n}\n'
    )


def edit_module(tree: Path) -> None:
    """The module every root calls changes."""
    module = tree / "modules" / "shared" / "main.tf"
    module.write_text(module.read_text().replace('actions   = ["s3:GetObject"]', 'actions   = ["s3:*"]'))


def edit_b(tree: Path) -> None:
    main = tree / "live" / "b" / "main.tf"
    main.write_text(main.read_text().replace("rotate     = false", "rotate     = true"))


# pr_roots states compared with a run without the cache: each the edits applied in order
STATES: dict[str, tuple[Callable[[Path], None], ...]] = {
    "state-a": (edit_a,),
    "state-a-module": (edit_a, edit_module),
    "state-a-module-b": (edit_a, edit_module, edit_b),
    "state-b": (edit_b,),
}


@pytest.fixture()
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Each state's `findings` without the cache; "downloaded" is pr_roots holding `.external_modules`,
    a PATH of its own (that directory counts where it sits: at the top of a PATH)."""

    def compute() -> dict[str, list[str]]:
        base = tmp_path_factory.mktemp("pr-roots-states")
        for name, edits in STATES.items():
            copy = Path(shutil.copytree(CASE, base / "states" / name))
            for edit in edits:
                edit(copy)
        (Path(shutil.copytree(CASE, base / "downloaded")) / ".external_modules").mkdir()
        every = findings(tfgen("validate", "-f", "json", "--no-cache", "states", "downloaded", cwd=base))

        def under(prefix: str) -> list[str]:
            return sorted(f.replace(prefix, "") for f in every if json.loads(f)["file"].startswith(prefix))

        return {"downloaded": under("downloaded/"), **{name: under(f"states/{name}/") for name in STATES}}

    return shared_json(tmp_path_factory, "tfgen-pr-roots-references", compute)  # type: ignore[no-any-return]


@pytest.mark.checkov
def test_an_edit_to_one_root_rescans_it_alone_and_reports_what_a_full_run_does(
    tmp_path: Path, tree: Path, reference: dict[str, list[str]]
) -> None:
    log = tmp_path / "copies"
    wrapper = tmp_path / "checkov"
    wrapper.write_text(WRAPPER.format(log=log, real=checkov_or_skip()))
    wrapper.chmod(0o755)
    cached = ("validate", "-f", "json", "--checkov", str(wrapper), "--cache-dir", str(tmp_path / "cache"), ".")

    def copies() -> list[list[set[str]]]:
        """Each checkov run since the last call: the Terraform files of each image in its copy (a
        copy holds one image, or one per unit under `N/`), padding directories left out."""
        lines = log.read_text().splitlines() if log.exists() else []
        log.unlink(missing_ok=True)
        runs = []
        for line in lines:
            images: dict[str, set[str]] = {}
            for path in line.split():
                parts = [p for p in path.split("/") if p not in (".", "_")]
                image = parts.pop(0) if parts[0].isdigit() else ""
                images.setdefault(image, set()).add("/".join(parts))
            runs.append(sorted(images.values(), key=sorted))
        return runs

    shared = {"modules/shared/main.tf", "modules/shared/legacy.tf"}
    unit_a, unit_b = {"live/a/main.tf", *shared}, {"live/b/main.tf", *shared}
    unit_c = {"live/c/main.tf", "modules/app/main.tf", *shared}
    cold = tfgen(*cached, cwd=tree)
    assert copies() == [[unit_a, unit_b, unit_c]], "one checkov run, each root apart with what it calls"
    ids = {json.loads(f)["id"] for f in findings(cold)}
    assert {"CKV_AWS_7", "CKV_AWS_21", "CKV2_AWS_40"} <= ids, "instance, graph and per-file checks all ran"
    statuses = {
        json.loads(f)["status"]
        for f in findings(cold)
        if '"CKV_AWS_21"' in f and '"module.shared.aws_s3_bucket.this"' in f
    }
    assert statuses == {"passed", "failed"}, "live/a's instance (versioned) and live/b's (not), both reported"

    # one root changes: a new resource, and another value for the module it calls
    edit_a(tree)
    edited = tfgen(*cached, cwd=tree)
    assert copies() == [[unit_a]]
    assert findings(edited) == reference["state-a"] != findings(cold)

    # the module every root calls changes: every root's findings are checked again
    edit_module(tree)
    edited = tfgen(*cached, cwd=tree)
    assert copies() == [[unit_a, unit_b, unit_c]]
    assert findings(edited) == reference["state-a-module"]

    # another root changes after that: the first root's findings come from the cache, still right
    edit_b(tree)
    edited = tfgen(*cached, cwd=tree)
    assert copies() == [[unit_b]]
    assert findings(edited) == reference["state-a-module-b"]


def roots_of(tree: Path) -> list[list[str]]:
    """Each module-call group's units, as their top directories (relative to the tree)."""
    options = ValidateOptions()
    found = pipeline.find([str(tree)], options)
    read = pipeline.read_files(found, options)
    found, read = pipeline.follow_calls(found, read, options)
    groups = pipeline.select_groups(found, read, options).groups
    return [[Path(u.top).relative_to(tree).as_posix() for u in units.units_of(g)] for g in groups]


def test_a_group_is_split_by_root_only_where_each_root_stands_alone(tmp_path: Path) -> None:
    call = 'module "m" {{\n  source = "{source}"\n}}\n'
    tree = write_tree(
        tmp_path / "split",
        {"a/main.tf": call.format(source="../m"), "b/main.tf": call.format(source="../m"), "m/main.tf": ""},
    )
    assert roots_of(tree) == [["a", "b"]]
    # a root reading a file in another root's directory: checkov's copy of it alone would lack the file
    reads = write_tree(
        tmp_path / "reads",
        {
            "a/main.tf": call.format(source="../m") + 'locals {\n  p = file("${path.module}/../b/p.json")\n}\n',
            "b/main.tf": call.format(source="../m"),
            "b/p.json": "{}",
            "m/main.tf": "",
        },
    )
    assert roots_of(reads) == [[]]
    # a cycle: no root reaches every directory
    cycle = write_tree(
        tmp_path / "cycle",
        {"a/main.tf": call.format(source="../b"), "b/main.tf": call.format(source="../a"), "c/main.tf": ""},
    )
    assert roots_of(cycle) == [[], []]
    # modules checkov downloaded sit beside the scanned directory: such a PATH's groups are checked whole
    downloaded = write_tree(tmp_path / "downloaded", {".external_modules/x/main.tf": ""})
    for name in ("a", "b"):
        (downloaded / name).mkdir()
        (downloaded / name / "main.tf").write_text(call.format(source="../m"))
    (downloaded / "m").mkdir()
    (downloaded / "m" / "main.tf").write_text("")
    assert roots_of(downloaded) == [[]]


def _calling_out(tmp_path: Path) -> Path:
    """pr_roots as PATH `p1`, beside it a group `p1/x` calling a module of another PATH `p2`."""
    tree = tmp_path / "tree"
    shutil.copytree(CASE, tree / "p1")
    write_tree(
        tree,
        {
            "p1/x/main.tf": 'module "m" {\n  source = "../../p2/m"\n}\n',
            "p2/m/main.tf": 'resource "aws_sns_topic" "t" {\n  name = "t"\n}\n',
        },
    )
    return tree


def _rename_a(tree: Path) -> None:
    main = tree / "p1" / "live" / "a" / "main.tf"
    main.write_text(main.read_text().replace('name   = "a"', 'name   = "a2"'))


@pytest.fixture()
def calling_out_reference(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The `findings` of `_calling_out` with live/a renamed, run over `p1 p2` without the cache.

    The warm, sharded and `--changed-since` runs below are each compared with it. tfgen starts one
    checkov per PATH and per batch: this run is three checkov starts (~2.2 s of CPU each before
    checkov reads a file), computed once per session (`shared_json`, across pytest-xdist workers)
    instead of once per test."""

    def compute() -> list[str]:
        tree = _calling_out(tmp_path_factory.mktemp("calling-out"))
        _rename_a(tree)
        return findings(tfgen("validate", "-f", "json", "--no-cache", "p1", "p2", cwd=tree))

    return shared_json(tmp_path_factory, "tfgen-calling-out-reference", compute)  # type: ignore[no-any-return]


@pytest.mark.checkov
def test_a_warm_run_reports_what_a_run_without_the_cache_does_when_another_group_calls_out_of_the_path(
    tmp_path: Path, calling_out_reference: list[str]
) -> None:
    """Whether a group is scanned by root must not depend on which other groups the cache answered:
    here `p1/x` calls a module in the other PATH `p2`, and the pr_roots group beside it must be
    reported the same by a warm run (x answered from the cache) and a run without the cache."""
    tree = _calling_out(tmp_path)
    cached = ("validate", "-f", "json", "--cache-dir", str(tmp_path / "cache"), "p1", "p2")
    findings(tfgen(*cached, cwd=tree))
    _rename_a(tree)
    assert findings(tfgen(*cached, cwd=tree)) == calling_out_reference


def test_roots_sharing_a_module_much_larger_than_themselves_are_split_up_to_three(tmp_path: Path) -> None:
    """Each unit's copy holds the module again: checkov's work on k copies grows with k, so a
    group is split only while its units weigh at most `MAX_SPLIT_RATIO` times the whole group."""
    module = "".join(f'resource "aws_sns_topic" "t{i}" {{\n  name = "t{i}"\n}}\n' for i in range(40))
    call = 'module "m" {\n  source = "../m"\n}\n'
    for k, expected in ((3, ["r0", "r1", "r2"]), (4, [])):
        tree = write_tree(tmp_path / str(k), {"m/main.tf": module, **{f"r{i}/main.tf": call for i in range(k)}})
        assert roots_of(tree) == [expected]
    # roots outweighing what they share stay split however many they are
    heavy = call + "".join(f'resource "aws_sqs_queue" "q{i}" {{\n  name = "q{i}"\n}}\n' for i in range(40))
    tree = write_tree(tmp_path / "heavy", {"m/main.tf": module, **{f"r{i}/main.tf": heavy for i in range(6)}})
    assert roots_of(tree) == [[f"r{i}" for i in range(6)]]


@pytest.mark.checkov
def test_the_shards_together_report_what_one_run_does_when_another_group_calls_out_of_the_path(
    tmp_path: Path, calling_out_reference: list[str]
) -> None:
    tree = _calling_out(tmp_path)
    _rename_a(tree)
    run = ("validate", "-f", "json", "--no-cache", "p1", "p2")
    together = sorted(f for i in (1, 2) for f in findings(tfgen(*run, "--shard", f"{i}/2", cwd=tree)))
    assert together == calling_out_reference


@pytest.mark.checkov
def test_modules_downloaded_after_a_cached_run_change_how_the_cache_answers(
    tmp_path: Path, tree: Path, reference: dict[str, list[str]]
) -> None:
    """A PATH holding `.external_modules` is checked whole (`units`): the directory appearing, even
    empty, must not leave the split result of the run before it in the cache's answer."""
    cached = ("validate", "-f", "json", "--cache-dir", str(tmp_path / "cache"), ".")
    findings(tfgen(*cached, cwd=tree))
    (tree / ".external_modules").mkdir()
    assert findings(tfgen(*cached, cwd=tree)) == reference["downloaded"]


@pytest.mark.checkov
def test_a_group_whose_every_root_the_cache_answered_counts_as_checked(
    tmp_path: Path, tree: Path, reference: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """live/a edited, then live/b, then live/a back: the group's files were never checked together,
    but checkov's findings for each root are in the cache; checkov's progress still reaches the end."""
    seen: list[tuple[str, int, int]] = []

    def progress(stage: str, done: int, total: int) -> None:
        seen.append((stage, done, total))

    options = ValidateOptions(checkov=str(checkov_or_skip()), cache_dir=tmp_path / "cache", progress=progress)
    monkeypatch.chdir(tree)  # the report names files from the working directory, as the CLI's does
    a = tree / "live" / "a" / "main.tf"
    original = a.read_text()
    pipeline.validate_paths(["."], options)
    a.write_text(original.replace('name   = "a"', 'name   = "a2"'))
    pipeline.validate_paths(["."], options)
    edit_b(tree)
    pipeline.validate_paths(["."], options)
    a.write_text(original)
    seen.clear()
    report = pipeline.validate_paths(["."], options)
    assert [s for s in seen if s[0] == "checkov"][-1] == ("checkov", 1, 1)
    assert sorted(json.dumps(f, sort_keys=True) for f in report.to_json()["findings"]) == reference["state-b"]


@pytest.mark.checkov
def test_changed_since_reports_a_changed_group_as_a_full_run_does_when_another_group_calls_out_of_the_path(
    tmp_path: Path, calling_out_reference: list[str]
) -> None:
    """`--changed-since` leaves `p1/x` out: the pr_roots group beside it is still split as in a full run."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    tree = _calling_out(tmp_path)
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    who = ("-c", "user.name=t", "-c", "user.email=t@example.com")
    for args in (("init", "-q"), ("add", "-A"), (*who, "commit", "-qm", "tree")):
        subprocess.run(["git", *args], cwd=tree, env=env, check=True, capture_output=True)
    _rename_a(tree)
    run = ("validate", "-f", "json", "--no-cache", "p1", "p2")
    changed = findings(tfgen(*run, "--changed-since", "HEAD", cwd=tree))
    expected = [f for f in calling_out_reference if json.loads(f)["file"].startswith(("p1/live/", "p1/modules/"))]
    assert changed == expected
