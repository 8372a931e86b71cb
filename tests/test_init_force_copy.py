"""`tfgen init --force` keeps a copy of every edited file it replaces, under `.tfgen/replaced/`, and names it."""

from __future__ import annotations

import re
from pathlib import Path

from support.init_tree import OTHER_ANSWERS, init


def test_force_keeps_each_edited_file_it_replaces(tmp_path: Path) -> None:
    out = tmp_path / "baseline"
    assert init(out)[0] == 0
    edited = "# team note\n" + (out / "main.tf").read_text()
    (out / "main.tf").write_text(edited)
    code, output = init(out, "--force", answers=OTHER_ANSWERS)
    assert code == 0, output
    match = re.search(r"kept your edited file as (\.tfgen/replaced/\d{8}T\d{6}Z/main\.tf) before replacing it", output)
    assert match, output
    assert (out / match.group(1)).read_text() == edited
    assert not (out / "main.tf").read_text().startswith("# team note")
    # Only edited files are copied; an unedited one the re-render changes is not.
    assert [p.name for p in (out / match.group(1)).parent.iterdir()] == ["main.tf"]


def test_a_second_force_in_the_same_second_keeps_both_copies(tmp_path: Path) -> None:
    out = tmp_path / "baseline"
    assert init(out)[0] == 0
    for answers, note in ((OTHER_ANSWERS, "# first\n"), (None, "# second\n")):
        (out / "main.tf").write_text(note + (out / "main.tf").read_text())
        assert init(out, "--force", answers=answers)[0] == 0
    copies = sorted((out / ".tfgen/replaced").rglob("main.tf"))
    assert [p.read_text().splitlines()[0] for p in copies] in (["# first", "# second"], ["# second", "# first"])
    assert len({p.parent for p in copies}) == 2


def test_a_refused_force_copies_nothing(tmp_path: Path) -> None:
    out = tmp_path / "baseline"
    assert init(out)[0] == 0
    (out / "main.tf").write_text("# team note\n" + (out / "main.tf").read_text())
    (out / "outputs.tf").unlink()
    (out / "outputs.tf").mkdir()  # not a file tfgen may replace: the whole --force is refused
    code, _ = init(out, "--force", answers=OTHER_ANSWERS)
    assert code != 0
    assert not (out / ".tfgen/replaced").exists()
