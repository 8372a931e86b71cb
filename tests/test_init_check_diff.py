"""`tfgen init --check --diff`: the drift a re-render would bring, as a unified diff `git apply` takes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from support.init_tree import OTHER_ANSWERS, files, init

GIT = shutil.which("git")


def test_the_diff_is_what_the_re_render_writes(tmp_path: Path) -> None:
    out = tmp_path / "baseline"
    assert init(out)[0] == 0
    main = out / "main.tf"
    main.write_text("# team note\n" + main.read_text())
    before = files(out)
    code, output = init(out, "--check", "--diff", answers=OTHER_ANSWERS)
    assert code == 1
    assert files(out) == before
    diff = output[: output.index("tfgen: error:")]
    assert "--- a/main.tf\n+++ b/main.tf\n" in diff and "-# team note\n" in diff
    assert "a/.tfgen/manifest.json" not in diff
    if GIT is None:
        pytest.skip("git is not on PATH: the diff is not applied")
    (tmp_path / "drift.diff").write_text(diff)
    subprocess.run([GIT, "apply", "--directory", "baseline", str(tmp_path / "drift.diff")], cwd=tmp_path, check=True)
    rendered = tmp_path / "other"
    assert init(rendered, answers=OTHER_ANSWERS)[0] == 0
    ignore = ".tfgen/manifest.json"
    assert {p: d for p, d in files(out).items() if p != ignore} == {
        p: d for p, d in files(rendered).items() if p != ignore
    }


def test_an_up_to_date_tree_prints_no_diff(tmp_path: Path) -> None:
    out = tmp_path / "baseline"
    assert init(out)[0] == 0
    code, output = init(out, "--check", "--diff")
    assert code == 0
    assert "---" not in output


def test_diff_without_check_is_a_usage_error(tmp_path: Path) -> None:
    code, output = init(tmp_path / "baseline", "--diff")
    assert code == 2
    assert "--diff goes with --check" in output
    assert not (tmp_path / "baseline").exists()
