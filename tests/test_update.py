"""`tfgen update`: a new render merged into a tree the team edited and committed, checked with real git."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.fake_checkov import FakeCheckov
from support.init_tree import ANSWERS, MANIFEST, OTHER_ANSWERS, files, init, tree
from support.update_tree import GIT, OLD_TREES, changed_lines, commit_all, git, update

from tfgen.init.render import BLUEPRINT_VERSION

pytestmark = pytest.mark.skipif(GIT is None, reason="git is not on PATH")

TEAM_NOTE = "# team note: reviewed by the platform team\n"
TEAM_RESOURCE = '\nresource "aws_sns_topic" "team" {\n  name = "team-alerts"\n}\n'


def _team_edits(out: Path) -> None:
    """What a team does to a generated tree: a note, a resource of its own in a generated file, a file of its own."""
    main = out / "main.tf"
    main.write_text(TEAM_NOTE + main.read_text() + TEAM_RESOURCE)
    (out / "team.tf").write_text('resource "aws_sns_topic" "pager" {\n  name = "pager"\n}\n')


def _render(root: Path, answers: list[str]) -> dict[str, bytes]:
    out = root / f"render-{len(list(root.glob('render-*')))}"
    assert init(out, answers=answers)[0] == 0
    return {p: d for p, d in files(out).items() if p != MANIFEST}


def test_update_changes_only_what_the_answers_change_and_keeps_the_teams_edits(tmp_path: Path) -> None:
    out = tmp_path / "baseline"
    assert init(out)[0] == 0
    commit_all(out, "tfgen init")
    _team_edits(out)
    commit_all(out, "team edits")

    code, output = update(out, *OTHER_ANSWERS)
    assert code == 0, output
    assert "yours (not the blueprint's, kept): main.tf: resource.aws_sns_topic.team" in output
    assert "next steps:" in output and "terraform init && terraform plan" in output

    old, new = _render(tmp_path, ANSWERS), _render(tmp_path, OTHER_ANSWERS)
    rendered_change = {p for p in new if old.get(p) != new[p]}
    assert rendered_change, "the other answers must change the render"
    changed = set(git(out, "diff", "--name-only").split())
    assert changed == rendered_change | {MANIFEST}
    # Each file's diff is the render's own change: no line of the team's is touched.
    for path in sorted(rendered_change):
        ours = changed_lines(git(out, "diff", "-U0", "--", path))
        render_diff = subprocess.run(
            [GIT, "diff", "--no-index", "-U0", str(tmp_path / "render-0" / path), str(tmp_path / "render-1" / path)],
            capture_output=True,
            text=True,
        ).stdout
        assert ours == changed_lines(render_diff), path
    main = (out / "main.tf").read_text()
    assert main.startswith(TEAM_NOTE) and main.endswith(TEAM_RESOURCE)
    assert (out / "team.tf").exists()
    # The new render is the next update's base: updating again changes nothing.
    assert update(out, *OTHER_ANSWERS)[0] == 0
    assert set(git(out, "diff", "--name-only").split()) == changed


def test_a_clash_is_written_with_markers_listed_and_exits_1(tmp_path: Path) -> None:
    out = tmp_path / "baseline"
    assert init(out)[0] == 0
    commit_all(out, "tfgen init")
    variables = out / "variables.tf"
    variables.write_text(variables.read_text().replace('default     = "acme"', 'default     = "acme-team"'))
    commit_all(out, "team renames")

    code, output = update(out, "--name", "other")
    assert code == 1, output
    assert "conflict  variables.tf: 1 clash(es) marked" in output
    assert "1 file(s) with conflicts" in output
    text = variables.read_text()
    assert (
        '<<<<<<< yours\n  default     = "acme-team"\n'
        f"||||||| tfgen's last render (blueprint {BLUEPRINT_VERSION})\n"
        '  default     = "acme"\n'
        "=======\n"
        '  default     = "other"\n'
        f">>>>>>> tfgen's new render (blueprint {BLUEPRINT_VERSION})\n"
    ) in text
    # The files without a clash took the new answer; nothing else of the team's moved.
    assert '"other"' in (out / "terraform.tfvars.example").read_text()
    assert set(git(out, "diff", "--name-only").split()) >= {"variables.tf", "terraform.tfvars.example", MANIFEST}
    # Resolved by the team, the next update is clean and keeps the resolution.
    variables.write_text(
        text.split("<<<<<<< yours\n")[0]
        + '  default     = "other-team"\n'
        + text.split(f">>>>>>> tfgen's new render (blueprint {BLUEPRINT_VERSION})\n")[1]
    )
    code, output = update(out, "--name", "other")
    assert code == 0, output
    assert 'default     = "other-team"' in variables.read_text()


def test_an_unresolved_conflict_is_never_merged_over(tmp_path: Path) -> None:
    out = tmp_path / "baseline"
    assert init(out)[0] == 0
    variables = out / "variables.tf"
    variables.write_text(variables.read_text().replace('default     = "acme"', 'default     = "acme-team"'))
    assert update(out, "--name", "other")[0] == 1
    marked = variables.read_bytes()
    code, output = update(out, "--name", "third")
    assert code == 1
    assert "variables.tf: yours still holds conflict markers" in output
    assert variables.read_bytes() == marked
    # Its base stays the render the markers came from: resolved, the file then meets the newest answer.
    text = marked.decode()
    variables.write_text(
        text.split("<<<<<<< yours\n")[0]
        + '  default     = "other"\n'
        + text.split(f">>>>>>> tfgen's new render (blueprint {BLUEPRINT_VERSION})\n")[1]
    )
    code, output = update(out, "--name", "third")
    assert code == 0, output
    assert 'default     = "third"' in variables.read_text()


def test_a_file_with_markers_where_the_render_adds_one_meets_the_render_once_resolved(tmp_path: Path) -> None:
    out = tmp_path / "baseline"
    assert init(out)[0] == 0
    rel = "modules/kms/README.md"
    rendered = (out / rel).read_text()
    # The manifest of a tfgen that did not render this file yet: today's render adds it.
    document = json.loads((out / MANIFEST).read_text())
    del document["files"][rel], document["rendered"][rel]
    (out / MANIFEST).write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
    marked = "<<<<<<< ours\n# the team's notes\n=======\n# the team's other notes\n>>>>>>> theirs\n"
    (out / rel).write_text(marked)
    code, output = update(out)
    assert code == 1, output
    assert f"conflict  {rel}: yours still holds conflict markers" in output
    assert (out / rel).read_text() == marked
    # Resolved by the team, the next update still brings the render's text: every difference marked.
    (out / rel).write_text("# the team's notes\n")
    code, output = update(out)
    assert code == 1, output
    assert f"conflict  {rel}: yours, at a path the new render adds: every difference marked" in output
    text = (out / rel).read_text()
    assert "# the team's notes" in text and all(line in text.splitlines() for line in rendered.splitlines())


@pytest.mark.parametrize("commit", sorted(p.name for p in OLD_TREES.iterdir() if p.is_dir()))
def test_a_tree_rendered_by_an_earlier_tfgen_updates_to_todays_render(tmp_path: Path, commit: str) -> None:
    out = tmp_path / "baseline"
    shutil.copytree(OLD_TREES / commit, out)
    old_manifest = json.loads((out / MANIFEST).read_text())
    assert "rendered" not in old_manifest  # those tfgen versions kept hashes only
    commit_all(out, f"rendered by tfgen {commit}")
    # The tree's own answers, kept: the earliest tfgen had the Proton roles on by default.
    proton = ["--proton-roles"] if old_manifest["inputs"]["create_pipeline_role"] else []
    today = _render(tmp_path, [*ANSWERS, *proton])
    # A note in a file today's blueprint renders as that tfgen did: its base is known without its text.
    same = sorted(p for p, d in today.items() if old_manifest["files"].get(p) == hashlib.sha256(d).hexdigest())
    noted = next(p for p in same if p.endswith(".tf"))
    (out / noted).write_bytes(TEAM_NOTE.encode() + (out / noted).read_bytes())
    commit_all(out, "team note")

    code, output = update(out)
    assert code == 0, output
    assert f"from blueprint {old_manifest['blueprint_version']} to {BLUEPRINT_VERSION}" in output
    now = {p: d for p, d in files(out).items() if p != MANIFEST and not p.startswith(".git/")}
    assert now == {**today, noted: TEAM_NOTE.encode() + today[noted]}
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["blueprint_version"] == BLUEPRINT_VERSION and set(manifest["rendered"]) == set(today)


@pytest.mark.parametrize("commit", sorted(p.name for p in OLD_TREES.iterdir() if p.is_dir()))
def test_an_edit_to_a_file_whose_old_text_was_not_kept_marks_every_difference(tmp_path: Path, commit: str) -> None:
    out = tmp_path / "baseline"
    shutil.copytree(OLD_TREES / commit, out)
    old_manifest = json.loads((out / MANIFEST).read_text())
    proton = ["--proton-roles"] if old_manifest["inputs"]["create_pipeline_role"] else []
    today = _render(tmp_path, [*ANSWERS, *proton])
    changed = sorted(
        p for p, d in today.items() if old_manifest["files"].get(p) not in (None, hashlib.sha256(d).hexdigest())
    )
    rel = next(p for p in changed if p.endswith(".tf"))  # the blueprint changed it since that tfgen
    path = out / rel
    ours = path.read_text() + "# team note\n"
    path.write_text(ours)
    code, output = update(out)
    assert code == 1, output
    assert f"{rel}: yours and the new render differ, and the tfgen that wrote it kept no text" in output
    text = path.read_text()
    assert "# team note\n" in text and "text not kept by the tfgen that wrote it" in text
    kept = [line for line in text.splitlines() if not line.startswith(("<<<<<<<", "=======", "|||||||", ">>>>>>>"))]
    for side in (ours, today[rel].decode()):
        assert all(line in kept for line in side.splitlines())


def test_files_the_new_render_drops_are_removed_only_when_unedited(tmp_path: Path) -> None:
    out = tmp_path / "baseline"
    assert init(out)[0] == 0
    document = json.loads((out / MANIFEST).read_text())
    for name, text in (("legacy.tf", "# rendered by an older blueprint\n"), ("edited.tf", "# rendered too\n")):
        (out / name).write_text(text)
        document["files"][name] = hashlib.sha256(text.encode()).hexdigest()
        document["rendered"][name] = text.split("\n")
    (out / MANIFEST).write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
    (out / "edited.tf").write_text("# rendered too, then the team's\n")
    code, output = update(out)
    assert code == 0, output
    assert "removed   legacy.tf" in output and "kept, no longer rendered edited.tf" in output
    assert not (out / "legacy.tf").exists()
    assert (out / "edited.tf").read_text() == "# rendered too, then the team's\n"


def test_a_deleted_generated_file_stays_deleted_unless_the_render_changes_it(tmp_path: Path) -> None:
    out = tmp_path / "baseline"
    assert init(out)[0] == 0
    (out / "modules/kms/README.md").unlink()  # unchanged by other answers
    (out / "variables.tf").unlink()  # holds the answers
    code, output = update(out, *OTHER_ANSWERS)
    assert code == 1, output
    assert "kept deleted modules/kms/README.md" in output
    assert "variables.tf: you deleted it; the new render changes it: written again" in output
    assert not (out / "modules/kms/README.md").exists() and (out / "variables.tf").exists()


def test_update_needs_a_tree_tfgen_rendered(tmp_path: Path) -> None:
    code, output = update(tmp_path)
    assert code == 2
    assert f"{tmp_path}: no tfgen manifest (.tfgen/manifest.json): run tfgen init there first" in output


def test_a_tampered_rendered_text_is_refused_with_nothing_written(tmp_path: Path) -> None:
    out = tmp_path / "baseline"
    assert init(out)[0] == 0
    document = json.loads((out / MANIFEST).read_text())
    document["rendered"]["main.tf"][0] = "# planted"
    (out / MANIFEST).write_text(json.dumps(document))
    before = files(out)
    code, output = update(out, *OTHER_ANSWERS)
    assert code == 2
    assert "rendered: 'main.tf' is not the text whose sha256 files records" in output
    assert files(out) == before


def test_ctrl_c_during_the_checkov_self_check_leaves_the_old_tree(tmp_path: Path) -> None:
    out = tmp_path / "baseline"
    assert init(out)[0] == 0
    _team_edits(out)
    before = files(out)
    checkov = FakeCheckov(tmp_path / "checkov", body="time.sleep(120)")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tfgen",
            "update",
            "--out",
            str(out),
            "--no-cache",
            "--checkov",
            str(checkov.path),
            *OTHER_ANSWERS,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
        # SIGINT as a terminal's user has it, whatever the runner that started pytest ignores
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while not checkov.pids() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert checkov.pids(), process.communicate()
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "interrupted; the tree is as it was" in stderr
    assert files(out) == before
    for pid in checkov.pids():  # checkov and what it started are gone
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_a_second_writer_is_refused_while_the_tree_is_locked(tmp_path: Path) -> None:
    import fcntl

    out = tmp_path / "baseline"
    assert init(out)[0] == 0
    before = files(out)
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        code, output = update(out, *OTHER_ANSWERS)
    finally:
        os.close(fd)
    assert code == 2
    assert f"--out {out}: another tfgen update is writing it; run this one when it has finished" in output
    assert files(out) == before


@pytest.mark.parametrize("kind", ["directory", "symlink"])
def test_a_directory_or_symlink_where_a_rendered_file_goes_is_a_usage_error_naming_it(
    tmp_path: Path, kind: str
) -> None:
    out = tmp_path / "baseline"
    assert init(out)[0] == 0
    target = out / "variables.tf"
    target.unlink()
    if kind == "directory":
        target.mkdir()
        (target / "notes.txt").write_text("the team's\n")
    else:
        (tmp_path / "elsewhere.tf").write_text("# outside the tree\n")
        target.symlink_to(tmp_path / "elsewhere.tf")
    before = tree(out)
    code, output = update(out, *OTHER_ANSWERS)
    assert code == 2, output
    [error] = [line for line in output.splitlines() if line.startswith("tfgen: error:")]
    assert error.startswith(f"tfgen: error: {target}: ") and "--force" not in error, error
    assert tree(out) == before


CRASH = [sys.executable, str(Path(__file__).parent / "support" / "crash_at_step.py")]


def _update_process(out: Path, cache: Path, *extra: str, prefix: list[str]) -> subprocess.CompletedProcess[str]:
    command = [*prefix, "update", "--skip-checkov", "--cache-dir", str(cache), "--out", str(out), *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)


def test_an_update_killed_at_a_write_step_leaves_the_whole_old_or_the_whole_new_tree(tmp_path: Path) -> None:
    """SIGKILL at steps spread over the transaction; the next plain `tfgen update` leaves the old or the new tree."""
    cache = tmp_path / "cache"
    template = tmp_path / "template"
    assert init(template, cache=cache)[0] == 0
    _team_edits(template)
    old = files(template)
    done = tmp_path / "done"
    shutil.copytree(template, done)
    counted = _update_process(done, cache, *OTHER_ANSWERS, prefix=[*CRASH, "100000"])
    assert counted.returncode == 0, counted.stderr
    steps = int(counted.stderr.rsplit("steps: ", 1)[1])
    new = files(done)
    assert new != old and new["main.tf"].startswith(TEAM_NOTE.encode())
    seen, notices = set(), []
    for step in sorted({1, 2, steps // 4, steps // 2, 3 * steps // 4, steps - 1}):
        out = tmp_path / f"step-{step}"
        shutil.copytree(template, out)
        crashed = _update_process(out, cache, *OTHER_ANSWERS, prefix=[*CRASH, str(step)])
        assert crashed.returncode == -signal.SIGKILL, crashed.stderr
        again = _update_process(out, cache, prefix=[sys.executable, "-m", "tfgen"])
        assert again.returncode == 0, again.stderr
        notices += [line for line in again.stderr.splitlines() if "interrupted" in line]
        after = files(out)
        assert after in (old, new), f"step {step}: neither the old nor the new tree"
        assert not (out / ".tfgen/txn").exists()
        seen.add("new" if after == new else "old")
    assert seen == {"old", "new"}
    # What the next update finished or rolled back is named as what it was: an update.
    assert notices and all(" an interrupted tfgen update in " in line for line in notices), notices
