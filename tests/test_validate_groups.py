"""Module-call groups, and checkov run per group in parallel giving exactly the findings of one run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.speed_tree import comparable, one_run_reference, record_checkov_batches, write_speed_tree
from support.validate import POLICY_MODULE

from tfgen.validate import ValidateOptions, checkov_batches, validate_paths
from tfgen.validate import groups as groups_mod
from tfgen.validate.discover import discover


def build(scan_dir: Path) -> list[groups_mod.Group]:
    found = discover([str(scan_dir)])
    contents = {str(c.path): c.path.read_bytes() for c in found.candidates if c.problem is None}
    contents.update({str(o.path): o.path.read_bytes() for o in found.others})
    return groups_mod.build(found, contents)


def test_local_sources_in_hcl_and_json_and_look_alikes() -> None:
    text = (
        b'module "a" {\n  source="../x"\n}\nmodule "b" {\n  source   =   "./y/z"\n}\n{"module": {"c": {"source" '
        b': "../../"}}}\n'
    )
    assert groups_mod.local_sources(text) == ["../x", "./y/z", "../../"]
    # registry and git sources are not local; `source_dir` is another attribute
    assert groups_mod.local_sources(b'source = "terraform-aws-modules/s3-bucket/aws"\nsource_dir = "./lambda"\n') == []


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=3), st.sampled_from(["./a", "../b", "../../c/d"]))))
def test_each_local_source_is_read_with_its_own_line(calls: list[tuple[int, str]]) -> None:
    text, expected, line = "", [], 1
    for blank, source in calls:
        text += "\n" * blank + f'module "m" {{\n  source = "{source}"\n}}\n'
        line += blank
        expected.append((source, line + 1))
        line += 3
    assert groups_mod.local_source_lines(text.encode()) == expected


def test_callers_and_callees_share_a_group_and_called_dirs_outside_the_path_are_never_read(tmp_path: Path) -> None:
    scan = write_speed_tree(tmp_path)
    by_name = {g.name: g for g in build(scan)}
    assert sorted(by_name) == ["broken", "config", "live/a", "live/c", "live/d", "repo"]
    shared = by_name["live/a"]
    assert sorted(c.rel for c in shared.candidates) == ["live/a/main.tf", "live/b/main.tf", "modules/shared/main.tf"]
    # a module outside the PATH is not read (tests/test_validate_confinement.py): the call is listed
    assert shared.dep_dirs == [] and shared.deps == {}
    assert [(c.display, c.source) for c in shared.outside] == [("live/b/main.tf", "../../../outside/logs")]
    # and one in a directory the walk skips
    assert by_name["live/d"].dep_dirs == [str(scan / ".modules" / "hidden")]
    assert sorted(c.rel for c in by_name["repo"].candidates) == ["repo/examples/basic/main.tf", "repo/main.tf"]
    # a file only the secrets framework reads is a group of its own directory
    assert [o.rel for o in by_name["config"].others] == ["config/app.yaml"]


def test_batches_are_balanced_and_deterministic(tmp_path: Path) -> None:
    groups = [checkov_batches.Part(g) for g in build(write_speed_tree(tmp_path))]
    first = [[g.name for g in batch] for batch in checkov_batches.plan(groups, 2)]
    again = [[g.name for g in batch] for batch in checkov_batches.plan(list(reversed(groups)), 2)]
    assert first == again and len(first) == 2
    assert sorted(n for batch in first for n in batch) == sorted(g.name for g in groups)
    # a small tree is one batch unless asked: a second checkov start-up would cost more than it saves
    assert len(checkov_batches.plan(groups, None)) == 1


def test_downloaded_modules_are_inputs_of_every_group(tmp_path: Path) -> None:
    """checkov loads them for registry sources, so they enter each group's cache key and copy
    (a PATH scanned in place would let `../x` sources lead out of it)."""
    scan = write_speed_tree(tmp_path)
    assert all(g.deps.keys().isdisjoint({str(scan / ".external_modules" / "vpc" / "main.tf")}) for g in build(scan))
    (scan / ".external_modules" / "vpc").mkdir(parents=True)
    (scan / ".external_modules" / "vpc" / "main.tf").write_text('resource "aws_vpc" "this" {}\n')
    (scan / ".external_modules" / "vpc" / "notes.txt").write_text("not Terraform\n")
    for group in build(scan):
        assert {p: d for p, d in group.deps.items() if ".external_modules" in p} == {
            str(scan / ".external_modules" / "vpc" / "main.tf"): b'resource "aws_vpc" "this" {}\n'
        }


@pytest.mark.checkov
def test_grouped_parallel_checkov_equals_one_run(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = one_run_reference(tmp_path_factory)
    started = record_checkov_batches(monkeypatch)
    report = validate_paths([str(write_speed_tree(tmp_path))], ValidateOptions(checkov_jobs=2, checkov_timeout=300))
    assert len(started) == 2  # two checkov processes side by side, each over a copy of its groups
    assert comparable(report, tmp_path) == reference["findings"]
    assert report.summary.files == reference["files"] and report.summary.errors == reference["errors"]


LINKED = Path(__file__).parent / "cases" / "linked_module"


def test_a_module_called_through_a_directory_link_joins_the_group_of_what_the_link_names(tmp_path: Path) -> None:
    """live/b calls `./shared`, a link to modules/shared, which live/a calls by its own name. tfgen's
    rules judge modules/shared with both callers' values, so both callers are one group: an edit to
    live/b changes the group's cache key, and a warm run reports what a run without the cache does."""
    tree = Path(shutil.copytree(LINKED, tmp_path / "tree"))
    (tree / "live/b/shared").symlink_to(Path("..", "..", "modules", "shared"), target_is_directory=True)
    (group,) = [g for g in build(tree) if str(tree / "modules/shared") in g.dirs]
    assert str(tree / "live/b") in group.dirs

    def run(**how: object) -> list[str]:
        report = validate_paths([str(tree)], ValidateOptions(run_checkov=False, **how))  # type: ignore[arg-type]
        return sorted(f"{f.id} {f.status} {f.file}:{f.line} {f.message}" for f in report.findings)

    cache = {"cache_dir": tmp_path / "cache"}
    run(**cache)
    main = tree / "live/b/main.tf"
    main.write_text(
        'resource "random_password" "pw" {\n  length = 20\n}\n\n'
        + main.read_text().replace('conf   = "plain"', "conf   = random_password.pw.result")
    )
    warm = run(**cache)
    assert warm == run()
    assert any(line.startswith("TFGEN_SECRETS_4 failed modules/shared/main.tf") for line in warm), warm


def test_a_module_called_through_a_link_reads_path_root_in_the_callers_root(tmp_path: Path) -> None:
    """modules/shared reads `${path.root}/conf.txt`; live/b calls it through its link `./shared`: the
    file read is live/b's, as when live/b calls it by its own name."""
    tree = Path(shutil.copytree(LINKED, tmp_path / "tree"))
    (tree / "live/b/shared").symlink_to(Path("..", "..", "modules", "shared"), target_is_directory=True)
    shared = tree / "modules/shared/main.tf"
    shared.write_text(shared.read_text() + 'locals {\n  extra = file("${path.root}/conf.txt")\n}\n')
    (tree / "live/a/conf.txt").write_text("plain\n")
    (tree / "live/b/conf.txt").write_text('access_key = "AKIAZ4OXTRQ7D2EXJ3MB"\n')
    report = validate_paths([str(tree)], ValidateOptions(run_checkov=False, checks=("TFGEN_SECRETS_1",)))
    failed = [f for f in report.findings if f.status == "failed"]
    assert [(f.file, f.message is not None and "live/b/conf.txt" in f.message) for f in failed] == [
        ("modules/shared/main.tf", True)
    ], failed


def test_a_call_into_another_path_is_judged_with_the_callers_values(tmp_path: Path) -> None:
    """`tfgen validate live modules`: live calls ../modules/p, another PATH, with actions = ["*"]; the
    policy the module makes of them is judged with that value (TFGEN_IAM_4/5 fail)."""
    tree = tmp_path / "tree"
    (tree / "modules/p").mkdir(parents=True)
    (tree / "live").mkdir()
    (tree / "modules/p/main.tf").write_text(POLICY_MODULE)
    (tree / "live/main.tf").write_text('module "p" {\n  source  = "../modules/p"\n  actions = ["*"]\n}\n')
    found = _findings([str(tree / "live"), str(tree / "modules")])
    failed = [f for f in found if f.split()[1] == "failed" and "modules/p/main.tf:" in f.split()[2]]
    assert {f.split()[0] for f in failed} >= {"TFGEN_IAM_4", "TFGEN_IAM_5"}, failed


def _findings(paths: list[str], cache_dir: Path | None = None) -> list[str]:
    report = validate_paths(paths, ValidateOptions(run_checkov=False, cache_dir=cache_dir))
    return sorted(f"{f.id} {f.status} {f.file}:{f.line} {f.message}" for f in report.findings)


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("main.tf.json", '{{"module": {{"m": {{"source": "..\\/modules\\/p", "actions": {actions}}}}}}}'),
        ("main.tf", 'module "m" {{\n  source  = "..\\u002fmodules/p"\n  actions = {actions}\n}}\n'),
    ],
    ids=["json-escaped-slash", "hcl-unicode-escape"],
)
def test_a_source_written_with_escapes_joins_its_callers_group(tmp_path: Path, name: str, call: str) -> None:
    """Terraform reads `"..\\/modules\\/p"` (JSON) and `"..\\u002fmodules/p"` (HCL) as ../modules/p: the
    module and its caller are one group, so a warm run after the caller widens its actions fails as
    a run without the cache does."""
    tree, cache = tmp_path / "tree", tmp_path / "cache"
    (tree / "modules/p").mkdir(parents=True)
    (tree / "live").mkdir()
    (tree / "modules/p/main.tf").write_text(POLICY_MODULE)
    (tree / "live" / name).write_text(call.format(actions='["s3:GetObject"]'))
    _findings([str(tree)], cache)
    (tree / "live" / name).write_text(call.format(actions='["*"]'))
    fresh = _findings([str(tree)])
    assert any(f.startswith("TFGEN_IAM_4 failed") for f in fresh), fresh
    assert _findings([str(tree)], cache) == fresh
