"""A three-way merge of one file's lines (diff3), as `git merge-file` and bzr's merge3 do it.

`base` is what tfgen rendered last time, `ours` the file as the team has it now, `theirs` the
new render. Both sides are matched against the base (`difflib.SequenceMatcher`, without its
"junk" heuristic: in a Terraform file `}` and blank lines are most lines, and junking them
misaligns whole blocks); base lines matched on both sides are stable, and each stretch between
two stable runs is one region:

- unchanged: no side changed it;
- ours / theirs: one side changed it, the other did not: that side's lines win;
- same: both sides made the same change;
- conflict: both sides changed it differently: written between git-style markers.

Every region carries its line ranges in all three inputs, and the ranges of consecutive regions
are consecutive: reading a merge by one input's ranges gives that input back exactly
(`Merge.view`), which is the property that says nothing of either side can be lost. Edits that
touch adjacent lines conflict, as in git: the algorithm never guesses an order for them.

Lines are bytes split after each b"\\n" (the last one may lack it), so no encoding, line ending or
trailing space is ever changed. tfgen does not need git at run time for this.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Kind = Literal["unchanged", "ours", "theirs", "same", "conflict"]
Side = Literal["base", "ours", "theirs"]

# git's markers (conflictStyle diff3: the base between ||||||| and =======), each followed by a label.
OURS_MARKER = b"<<<<<<<"
BASE_MARKER = b"|||||||"
SEPARATOR = b"======="
THEIRS_MARKER = b">>>>>>>"


@dataclass(frozen=True)
class Region:
    kind: Kind
    base: tuple[int, int]  # [start, end) in the base's lines
    ours: tuple[int, int]
    theirs: tuple[int, int]


@dataclass(frozen=True)
class Labels:
    """What each side is called after its conflict marker (one line, no newline)."""

    ours: str = "yours"
    base: str = "tfgen's last render"
    theirs: str = "tfgen's new render"


@dataclass(frozen=True)
class Merge:
    base: tuple[bytes, ...]
    ours: tuple[bytes, ...]
    theirs: tuple[bytes, ...]
    regions: tuple[Region, ...]

    @property
    def conflicts(self) -> int:
        return sum(region.kind == "conflict" for region in self.regions)

    @property
    def clean(self) -> bool:
        return self.conflicts == 0

    def view(self, side: Side) -> bytes:
        """The input `side`, read back from the regions' ranges (equal to it for every merge)."""
        lines = getattr(self, side)
        return b"".join(b"".join(lines[slice(*getattr(region, side))]) for region in self.regions)

    def text(self, labels: Labels = Labels()) -> bytes:
        """The merged file: each side's changes applied, each conflict between markers."""
        out: list[bytes] = []
        for region in self.regions:
            if region.kind == "conflict":
                out += _conflict(
                    self.ours[slice(*region.ours)],
                    self.base[slice(*region.base)],
                    self.theirs[slice(*region.theirs)],
                    labels,
                )
            elif region.kind == "theirs":
                out += self.theirs[slice(*region.theirs)]
            else:  # unchanged, ours and same: the text is ours
                out += self.ours[slice(*region.ours)]
        return b"".join(out)


def lines(data: bytes) -> tuple[bytes, ...]:
    """`data` cut after every b"\\n"; joined, the lines are `data` again."""
    parts = data.split(b"\n")
    result = [part + b"\n" for part in parts[:-1]]
    if parts[-1]:
        result.append(parts[-1])
    return tuple(result)


def _matches(base: Sequence[bytes], other: Sequence[bytes]) -> list[tuple[int, int, int]]:
    """(base start, other start, length) of each run of equal lines, in order, ending with a zero-length sentinel."""
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    return [(m.a, m.b, m.size) for m in matcher.get_matching_blocks()]


def _stable_runs(
    base: Sequence[bytes], ours: Sequence[bytes], theirs: Sequence[bytes]
) -> list[tuple[int, int, int, int]]:
    """(base start, ours start, theirs start, length) of base lines matched in both sides, in order.

    The intersection of the two sides' matching runs over the base, as in bzr's merge3
    (`find_sync_regions`); a zero-length run at the three ends closes the list.
    """
    runs: list[tuple[int, int, int, int]] = []
    ours_runs, theirs_runs = _matches(base, ours), _matches(base, theirs)
    i = j = 0
    while i < len(ours_runs) and j < len(theirs_runs):
        o_base, o_at, o_len = ours_runs[i]
        t_base, t_at, t_len = theirs_runs[j]
        start, end = max(o_base, t_base), min(o_base + o_len, t_base + t_len)
        if start < end:
            runs.append((start, o_at + start - o_base, t_at + start - t_base, end - start))
        if o_base + o_len < t_base + t_len:
            i += 1
        else:
            j += 1
    runs.append((len(base), len(ours), len(theirs), 0))
    return runs


def merge(base: Sequence[bytes], ours: Sequence[bytes], theirs: Sequence[bytes]) -> Merge:
    """The three-way merge of three files' lines (see the module docstring)."""
    base, ours, theirs = tuple(base), tuple(ours), tuple(theirs)
    regions: list[Region] = []
    at_base = at_ours = at_theirs = 0
    for run_base, run_ours, run_theirs, length in _stable_runs(base, ours, theirs):
        b, o, t = (at_base, run_base), (at_ours, run_ours), (at_theirs, run_theirs)
        if b[0] < b[1] or o[0] < o[1] or t[0] < t[1]:
            base_part, ours_part, theirs_part = base[slice(*b)], ours[slice(*o)], theirs[slice(*t)]
            if ours_part == theirs_part:
                regions.append(Region("same", b, o, t))
            elif ours_part == base_part:
                regions.append(Region("theirs", b, o, t))
            elif theirs_part == base_part:
                regions.append(Region("ours", b, o, t))
            else:
                regions += _conflict_regions(b, o, t, ours, theirs)
        if length:
            regions.append(
                Region(
                    "unchanged",
                    (run_base, run_base + length),
                    (run_ours, run_ours + length),
                    (run_theirs, run_theirs + length),
                )
            )
        at_base, at_ours, at_theirs = run_base + length, run_ours + length, run_theirs + length
    return Merge(base, ours, theirs, tuple(regions))


def _conflict_regions(
    b: tuple[int, int],
    o: tuple[int, int],
    t: tuple[int, int],
    ours: tuple[bytes, ...],
    theirs: tuple[bytes, ...],
) -> list[Region]:
    """A conflict, less the lines both sides begin or end it with (git's "zealous" merge): those are "same".

    The base's lines all stay in the conflict, where the reader sees what both sides replaced.
    What is left stays a conflict even when one side is now empty, as in git: `x` against
    `x, y` inserted at one place is no proof that `y` belongs after `x` in the team's file.
    """
    head = 0
    while o[0] + head < o[1] and t[0] + head < t[1] and ours[o[0] + head] == theirs[t[0] + head]:
        head += 1
    tail = 0
    while o[0] + head < o[1] - tail and t[0] + head < t[1] - tail and ours[o[1] - tail - 1] == theirs[t[1] - tail - 1]:
        tail += 1
    regions = []
    if head:
        regions.append(Region("same", (b[0], b[0]), (o[0], o[0] + head), (t[0], t[0] + head)))
    regions.append(Region("conflict", b, (o[0] + head, o[1] - tail), (t[0] + head, t[1] - tail)))
    if tail:
        regions.append(Region("same", (b[1], b[1]), (o[1] - tail, o[1]), (t[1] - tail, t[1])))
    return regions


def merge_bytes(base: bytes, ours: bytes, theirs: bytes) -> Merge:
    return merge(lines(base), lines(ours), lines(theirs))


def two_way(ours: bytes, theirs: bytes) -> Merge:
    """A merge without a base (a tree whose tfgen kept no rendered text, or a file both sides added).

    Lines both sides have are kept once; every difference is a conflict, with an empty base:
    without a base nothing says which side changed a line, so no side may win it.
    """
    a, b = lines(ours), lines(theirs)
    regions: list[Region] = []
    for tag, a0, a1, b0, b1 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        regions.append(Region("same" if tag == "equal" else "conflict", (0, 0), (a0, a1), (b0, b1)))
    return Merge((), a, b, tuple(regions))


def _conflict(ours: Sequence[bytes], base: Sequence[bytes], theirs: Sequence[bytes], labels: Labels) -> list[bytes]:
    return [
        OURS_MARKER + b" " + labels.ours.encode("utf-8") + b"\n",
        *_ended(ours),
        BASE_MARKER + b" " + labels.base.encode("utf-8") + b"\n",
        *_ended(base),
        SEPARATOR + b"\n",
        *_ended(theirs),
        THEIRS_MARKER + b" " + labels.theirs.encode("utf-8") + b"\n",
    ]


def _ended(part: Sequence[bytes]) -> list[bytes]:
    """A section's lines, the last given its newline so the next marker starts a line (as git does)."""
    result = list(part)
    if result and not result[-1].endswith(b"\n"):
        result[-1] += b"\n"
    return result
