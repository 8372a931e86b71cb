"""What `tfgen init` does to `--out` itself and to what it finds there.

Never writes or deletes through a symlink inside `--out`; `--force` replaces only files tfgen
generated; an existing directory keeps its mode and owner, a new one follows the umask; a mount
point, a symlink to a directory or a 250-character name work as `--out`.
"""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.in_process_cli import one_error_line
from support.init_tree import ANSWERS, OTHER_ANSWERS, files, init, init_process, tree, without_next_steps


def test_symlinked_directory_inside_out_is_never_written_through(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert init(out)[0] == 0
    elsewhere = tmp_path / "elsewhere"
    shutil.move(str(out / "modules"), elsewhere)  # same bytes: the manifest's hashes still match
    (out / "modules").symlink_to(elsewhere)
    (elsewhere / "kms/README.md").unlink()  # init would write it anew: into elsewhere
    (elsewhere / "iam/main.tf").write_text("# someone else's file\n")  # --force would overwrite it: in elsewhere
    before = tree(tmp_path)
    code, output = init(out, "--force", answers=OTHER_ANSWERS)
    assert code == 2, output
    line = one_error_line(output)
    assert f"{out / 'modules'}" in line and "symlink" in line
    assert tree(tmp_path) == before


def test_symlinked_file_inside_out_is_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert init(out)[0] == 0
    target = tmp_path / "theirs.tf"
    shutil.move(str(out / "main.tf"), target)
    (out / "main.tf").symlink_to(target)
    before = tree(tmp_path)
    code, output = init(out, "--force", answers=OTHER_ANSWERS)
    assert code == 2, output
    assert f"{out / 'main.tf'}" in one_error_line(output)
    assert tree(tmp_path) == before


def test_a_second_init_while_one_is_writing_is_refused(tmp_path: Path) -> None:
    """Another init holds the lock on --out (a flock on the directory): this one writes and recovers nothing."""
    import fcntl

    out = tmp_path / "out"
    assert init(out)[0] == 0
    before = tree(tmp_path)
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        code, output = init(out, answers=OTHER_ANSWERS)
    finally:
        os.close(fd)
    assert code == 2, output
    assert "another tfgen init is writing it" in one_error_line(output)
    assert tree(tmp_path) == before
    assert init(out, answers=OTHER_ANSWERS)[0] == 0  # the lock went with its holder


def test_force_never_replaces_a_file_tfgen_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    mine = 'resource "null_resource" "mine" {}\n'
    (out / "main.tf").write_text(mine)
    code, output = init(out, "--force")
    assert code == 1, output
    line = one_error_line(output)
    assert "main.tf" in line and "did not write" in line
    assert (out / "main.tf").read_text() == mine
    assert sorted(p.name for p in out.iterdir()) == ["main.tf"]


def test_force_overwrites_a_generated_file_that_was_edited(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert init(out)[0] == 0
    (out / "outputs.tf").write_text("# edited\n")
    assert init(out)[0] == 1
    code, output = init(out, "--force")
    assert code == 0, output
    assert files(out)["outputs.tf"] != b"# edited\n"


def test_a_replaced_file_keeps_its_mode_and_owner(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert init(out)[0] == 0
    os.chmod(out / "variables.tf", 0o640)
    if os.geteuid() == 0:
        os.chown(out / "variables.tf", 4321, 4322)
    before = (out / "variables.tf").stat()
    code, output = init(out, answers=OTHER_ANSWERS)
    assert code == 0 and "5 changed" in output, output
    after = (out / "variables.tf").stat()
    assert (stat.S_IMODE(after.st_mode), after.st_uid, after.st_gid) == (0o640, before.st_uid, before.st_gid)
    assert b"210987654321" in (out / "variables.tf").read_bytes()


def test_existing_out_keeps_its_mode_and_owner(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    os.chmod(out, 0o2775)
    if os.geteuid() == 0:
        os.chown(out, 4321, 4321)
    before = out.stat()
    code, output = init(out)
    assert code == 0, output
    after = out.stat()
    assert stat.S_IMODE(after.st_mode) == 0o2775
    assert (after.st_uid, after.st_gid, after.st_ino) == (before.st_uid, before.st_gid, before.st_ino)
    assert (out / "main.tf").is_file()


@pytest.fixture()
def umask_027() -> Iterator[None]:
    previous = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(previous)


def test_new_out_and_its_directories_follow_the_umask(tmp_path: Path, umask_027: None) -> None:
    out = tmp_path / "new" / "out"
    code, output = init(out)
    assert code == 0, output
    for directory in (out, out / "modules", out / "modules/kms", out / ".tfgen"):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o750, directory
    assert stat.S_IMODE((out / "main.tf").stat().st_mode) == 0o640


def test_symlink_out_to_an_empty_directory_renders_into_it(tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.mkdir()
    link = tmp_path / "link"
    link.symlink_to(target)
    code, output = init(link)
    assert code == 0, output
    assert link.is_symlink() and (target / "main.tf").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "target"]


def test_a_250_character_out_name_works(tmp_path: Path) -> None:
    out = tmp_path / ("o" * 250)
    code, output = init(out)
    assert code == 0, output
    assert (out / "main.tf").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o" * 250]


@pytest.mark.parametrize("parent_exists", [True, False])
def test_a_300_character_out_component_is_one_line(tmp_path: Path, parent_exists: bool) -> None:
    out = (tmp_path if parent_exists else tmp_path / "missing") / ("x" * 300)
    result = init_process(out)
    assert result.returncode == 2, result.stderr
    line = one_error_line(result.stderr + result.stdout)
    assert "File name too long" in line
    assert list(tmp_path.iterdir()) == []


def _unshare_reason() -> str | None:
    if shutil.which("unshare") is None:
        return "unshare is not installed"
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True, text=True)
    return None if probe.returncode == 0 else f"unshare --mount is not permitted here: {probe.stderr.strip()}"


def _in_private_mount_namespace(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`script` (sh) in a mount namespace of its own, so its tmpfs mounts vanish with it."""
    reason = _unshare_reason()
    if reason:
        pytest.skip(reason)
    return subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-ec", script, "sh", *args],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


TFGEN = [sys.executable, "-m", "tfgen"]


def _init_command(answers: list[str] = ANSWERS) -> str:
    return shlex.join([*TFGEN, "init", "--non-interactive", "--skip-checkov", "--no-cache", *answers])


def test_a_mount_point_as_out_is_rendered_in_place(tmp_path: Path) -> None:
    out = tmp_path / "mnt"
    out.mkdir()
    script = (
        f'mount -t tmpfs -o mode=2770 tfgen-test "$1"; {_init_command()} --out "$1"; stat -c %a "$1"; ls -A '
        '"$1"; ls -A "$2"'
    )
    result = _in_private_mount_namespace(script, str(out), str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = without_next_steps(result.stdout)
    assert lines[0].startswith("tfgen: rendered"), result.stdout
    assert lines[1] == "2770"
    assert "main.tf" in lines[2:] and ".tfgen" in lines[2:]
    assert lines[-1] == "mnt"  # nothing staged beside the mount point


def test_a_mount_point_inside_out_is_re_rendered_across_devices(tmp_path: Path) -> None:
    """`out/.tfgen` on another filesystem: a rename between it and `out` fails with EXDEV; the tree is still written."""
    out = tmp_path / "out"
    assert init(out)[0] == 0
    before = files(out)
    command = _init_command(OTHER_ANSWERS)
    script = (
        f'cp -a "$1/.tfgen" "$2/saved"; mount -t tmpfs tfgen-test "$1/.tfgen"; cp -a "$2/saved/." "$1/.tfgen/"; '
        f'{command} --out "$1"; grep -c 210987654321 "$1/variables.tf" "$1/.tfgen/manifest.json"; ls -A "$1/.tfgen"'
    )
    result = _in_private_mount_namespace(script, str(out), str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = without_next_steps(result.stdout)
    assert lines[0].startswith("tfgen: rendered") and "5 changed" in lines[0], result.stdout
    assert all(int(line.rsplit(":", 1)[1]) > 0 for line in lines[1:3]), (
        result.stdout
    )  # both sides of the device boundary
    assert lines[3:] == ["manifest.json"]  # no transaction left behind
    assert files(out)["variables.tf"] != before["variables.tf"]
