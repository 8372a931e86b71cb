"""tfgen update's three-way merge of one file: the properties of diff3, and `git merge-file` as the reference."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tfgen.update.merge import Labels, Merge, lines, merge, merge_bytes, two_way

# A small alphabet makes repeated lines (the `}` and blank lines of Terraform) and ambiguous matches common.
line = st.sampled_from([b"a\n", b"b\n", b"c\n", b"}\n", b"\n", b"  x = 1\n", b"d"])
text = st.lists(line, max_size=12).map(lambda ls: b"".join(ls))
LABELS = Labels(ours="yours", base="tfgen's last render", theirs="tfgen's new render")


@settings(max_examples=400, deadline=None)
@given(text, text, text)
def test_every_input_reads_back_from_the_regions(base: bytes, ours: bytes, theirs: bytes) -> None:
    """Consecutive regions cover each input exactly once, in order: nothing of any side can be lost."""
    result = merge_bytes(base, ours, theirs)
    assert (result.view("base"), result.view("ours"), result.view("theirs")) == (base, ours, theirs)


@settings(max_examples=200, deadline=None)
@given(text, text)
def test_an_unchanged_side_gives_the_other_side(base: bytes, other: bytes) -> None:
    for result in (merge_bytes(base, base, other), merge_bytes(base, other, base)):
        assert result.clean
        assert result.text() == other


@settings(max_examples=200, deadline=None)
@given(text, text)
def test_the_same_change_on_both_sides_is_taken_once(base: bytes, both: bytes) -> None:
    result = merge_bytes(base, both, both)
    assert result.clean
    assert result.text() == both


@settings(max_examples=200, deadline=None)
@given(text, text, text)
def test_swapping_the_sides_swaps_the_kinds(base: bytes, ours: bytes, theirs: bytes) -> None:
    one, other = merge_bytes(base, ours, theirs), merge_bytes(base, theirs, ours)
    assert one.conflicts == other.conflicts
    if one.clean:
        assert one.text() == other.text()


@st.composite
def disjoint_edits(draw: st.DrawFn) -> tuple[list[bytes], list[bytes], list[bytes], list[bytes]]:
    """A base of distinct lines, and two edits of it that leave at least one line between them untouched."""
    size = draw(st.integers(min_value=3, max_value=30))
    base = [f"line {i}\n".encode() for i in range(size)]
    cut = draw(st.integers(min_value=1, max_value=size - 2))  # base[cut] is never edited: it separates the edits

    def edit(lo: int, hi: int, who: str) -> tuple[int, int, list[bytes]]:
        start = draw(st.integers(min_value=lo, max_value=hi))
        end = draw(st.integers(min_value=start, max_value=hi))
        new = [f"{who} {i}\n".encode() for i in range(draw(st.integers(min_value=0, max_value=3)))]
        assume(end > start or new)
        return start, end, new

    o_start, o_end, o_new = edit(0, cut, "ours")  # replaces base[o_start:o_end], within base[:cut]
    t_start, t_end, t_new = edit(cut + 1, size, "theirs")
    if draw(st.booleans()):
        (o_start, o_end, o_new), (t_start, t_end, t_new) = (
            (t_start, t_end, [b"ours" + x[6:] for x in t_new]),
            (o_start, o_end, [b"theirs" + x[4:] for x in o_new]),
        )
    ours = base[:o_start] + o_new + base[o_end:]
    theirs = base[:t_start] + t_new + base[t_end:]
    first, second = sorted([(o_start, o_end, o_new), (t_start, t_end, t_new)])
    both = base[: first[0]] + first[2] + base[first[1] : second[0]] + second[2] + base[second[1] :]
    return base, ours, theirs, both


@settings(max_examples=400, deadline=None)
@given(disjoint_edits())
def test_disjoint_edits_both_survive(case: tuple[list[bytes], list[bytes], list[bytes], list[bytes]]) -> None:
    base, ours, theirs, both = case
    result = merge(base, ours, theirs)
    assert result.clean
    assert result.text() == b"".join(both)


def test_edits_of_one_line_conflict_and_show_all_three_versions() -> None:
    base = b'resource "x" "y" {\n  a = 1\n}\n'
    ours = b'resource "x" "y" {\n  a = 2\n}\n'
    theirs = b'resource "x" "y" {\n  a = 3\n}\n'
    result = merge_bytes(base, ours, theirs)
    assert result.conflicts == 1
    assert result.text(LABELS) == (
        b'resource "x" "y" {\n'
        b"<<<<<<< yours\n  a = 2\n"
        b"||||||| tfgen's last render\n  a = 1\n"
        b"=======\n  a = 3\n"
        b">>>>>>> tfgen's new render\n"
        b"}\n"
    )


def test_a_side_without_a_final_newline_still_puts_each_marker_on_a_line_of_its_own() -> None:
    result = merge_bytes(b"a\n", b"a\nours", b"a\ntheirs")
    assert result.text(LABELS).split(b"\n") == [
        b"a",
        b"<<<<<<< yours",
        b"ours",
        b"||||||| tfgen's last render",
        b"=======",
        b"theirs",
        b">>>>>>> tfgen's new render",
        b"",
    ]


def test_lines_keep_every_byte() -> None:
    data = b"a\r\nb\n\nno newline at the end \t"
    assert b"".join(lines(data)) == data
    assert lines(data) == (b"a\r\n", b"b\n", b"\n", b"no newline at the end \t")
    assert lines(b"") == ()


# --- git merge-file, the reference --------------------------------------------------------------

GIT = shutil.which("git")


def _git_merge_file(tmp: Path, base: bytes, ours: bytes, theirs: bytes) -> tuple[int, bytes]:
    """`git merge-file -p --diff3`: (number of conflicts, merged text)."""
    paths = []
    for name, data in (("ours", ours), ("base", base), ("theirs", theirs)):
        path = tmp / name
        path.write_bytes(data)
        paths.append(str(path))
    labels = ["-L", LABELS.ours, "-L", LABELS.base, "-L", LABELS.theirs]
    done = subprocess.run([GIT, "merge-file", "-p", "--diff3", *labels, *paths], capture_output=True, check=False)  # type: ignore[list-item]
    assert done.returncode >= 0 and not done.stderr, done.stderr
    return done.returncode, done.stdout


@st.composite
def edited(draw: st.DrawFn, base: list[bytes], who: str) -> list[bytes]:
    """`base` with a few lines replaced, deleted or inserted (new lines unique to `who`, or a shared one)."""
    result = list(base)
    for n in range(draw(st.integers(min_value=0, max_value=3))):
        at = draw(st.integers(min_value=0, max_value=len(result)))
        cut = draw(st.integers(min_value=0, max_value=min(2, len(result) - at)))
        new = draw(st.sampled_from([[f"{who} {n}\n".encode()], [], [b"shared\n"], [f"{who} {n}\n".encode()] * 2]))
        result[at : at + cut] = new
    return result


@st.composite
def realistic(draw: st.DrawFn) -> tuple[list[bytes], list[bytes], list[bytes]]:
    base = [f"line {i}\n".encode() for i in range(draw(st.integers(min_value=0, max_value=15)))]
    return base, draw(edited(base, "ours")), draw(edited(base, "theirs"))


@pytest.mark.skipif(GIT is None, reason="git is not on PATH")
@settings(max_examples=200, deadline=None)
@given(realistic())
def test_agrees_with_git_merge_file_on_files_of_distinct_lines(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[list[bytes], list[bytes], list[bytes]]
) -> None:
    """Where the base's lines are distinct (as a Terraform file's lines mostly are), git and tfgen merge alike."""
    base, ours, theirs = case
    conflicts, text = _git_merge_file(tmp_path_factory.mktemp("merge"), *(b"".join(x) for x in case))
    _assert_merged_as_git_merges(merge(base, ours, theirs), conflicts, text)


def _take(text: bytes, side: str) -> bytes:
    """`text` with every conflict resolved to one side ("ours", "base" or "theirs")."""
    kept: list[bytes] = []
    section = None
    for one in lines(text):
        marker = one[:7]
        if marker == b"<<<<<<<":
            section = "ours"
        elif marker == b"|||||||" and section:
            section = "base"
        elif marker == b"=======" and section:
            section = "theirs"
        elif marker == b">>>>>>>" and section:
            section = None
        elif section in (None, side):
            kept.append(one)
    return b"".join(kept)


def _assert_merged_as_git_merges(result: Merge, conflicts: int, text: bytes) -> None:
    """git's diff3 style keeps a conflict's common first and last lines inside it, tfgen moves them out
    (as git's default style does): conflicted texts are compared side by side."""
    assert result.conflicts == conflicts, (text, result.text(LABELS))
    if conflicts == 0:
        assert result.text(LABELS) == text
    for side in ("ours", "theirs"):
        assert _take(result.text(LABELS), side) == _take(text, side)


TERRAFORM_BASE = b"""resource "aws_kms_key" "this" {
  description             = "acme baseline"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_kms_alias" "this" {
  name          = "alias/acme"
  target_key_id = aws_kms_key.this.key_id
}
"""


@pytest.mark.skipif(GIT is None, reason="git is not on PATH")
@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        # A team note above a block, the blueprint's new attribute inside another.
        (
            TERRAFORM_BASE.replace(b'resource "aws_kms_alias"', b'# team note\nresource "aws_kms_alias"'),
            TERRAFORM_BASE.replace(b"= true\n", b"= true\n  rotation_period_in_days = 365\n"),
        ),
        # The team's own resource at the end; the blueprint changes the alias.
        (
            TERRAFORM_BASE + b'\nresource "aws_kms_alias" "team" {\n  name = "alias/team"\n}\n',
            TERRAFORM_BASE.replace(b"alias/acme", b"alias/acme-baseline"),
        ),
        # Both append a block at the end: a conflict, as in git.
        (
            TERRAFORM_BASE + b'\nresource "aws_sns_topic" "team" {}\n',
            TERRAFORM_BASE + b'\nresource "aws_sns_topic" "tfgen" {}\n',
        ),
        # Both change the same attribute.
        (TERRAFORM_BASE.replace(b"= 30", b"= 7"), TERRAFORM_BASE.replace(b"= 30", b"= 14")),
    ],
)
def test_terraform_edits_merge_as_git_merges_them(tmp_path: Path, ours: bytes, theirs: bytes) -> None:
    conflicts, text = _git_merge_file(tmp_path, TERRAFORM_BASE, ours, theirs)
    _assert_merged_as_git_merges(merge_bytes(TERRAFORM_BASE, ours, theirs), conflicts, text)


@settings(max_examples=200, deadline=None)
@given(text, text)
def test_without_a_base_every_difference_is_a_conflict_and_both_sides_read_back(ours: bytes, theirs: bytes) -> None:
    result = two_way(ours, theirs)
    assert (result.view("ours"), result.view("theirs"), result.view("base")) == (ours, theirs, b"")
    assert result.clean == (ours == theirs)
    if all(x.endswith(b"\n") or not x for x in (ours, theirs)):  # else a newline ends a conflict's side, as in git
        assert [_take(result.text(LABELS), side) for side in ("ours", "theirs")] == [ours, theirs]
