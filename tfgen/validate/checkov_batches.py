"""checkov over copies of some groups: parallel runs that report what one run over the tree would.

checkov scans one directory per process well: several `-d` in one process run one after
another and, measured on 3.3.30, a called module given its own `-d` is reported again as a
root. So each batch of groups is copied, at the same relative paths, into a temporary
directory that one checkov process scans, and the batches run side by side. The copy holds
exactly the bytes tfgen read and hashed (so a cache key and checkov's input cannot disagree),
and nothing tfgen keeps away from checkov (FIFOs, huge files). Paths in checkov's report are
mapped back to the real tree; each result goes to the group of its directory.

A group with several roots (`units`) is copied once per root, each root with the modules it
calls in an image of its own (`copy/N/`), still one checkov process per batch: checkov reports
each root's instances apart, and a result's image says which root's it is (its unit's findings
are cached on their own). Measured on bench/run.py's largest tree (a group of three roots calling
one module): 3.9 to 4.0 s of CPU for checkov over the group in one image, 4.2 s in three.

Batches are balanced by weight (Terraform bytes), largest group first. A tree too small to
repay a second checkov start-up (2.5 to 3.5 s of CPU) is scanned in one batch.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from tfgen.checkov import run as checkov_run
from tfgen.checkov import scratch
from tfgen.checkov.run import CheckovOutput
from tfgen.errors import CheckovError
from tfgen.validate.groups import Group, local_source_lines
from tfgen.validate.units import Unit, calls_out, split_weight, unit_files

# Below this much Terraform a second checkov process costs more than it saves: measured with
# bench/run.py on 2 cores, each checkov process holds ~250 MB and ~3 s of start-up before it
# reads a file, so splitting 0.8 MB of Terraform saved ~10 % of the time for +50 % of memory,
# while 1.5 MB split saved 10-15 % for +25 %.
SPLIT_MIN_BYTES = 1024 * 1024


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True, eq=False)
class Part:
    """What checkov scans of one group: the whole group, or the units (`units`) it must scan, each in
    a copy of its own."""

    group: Group
    units: tuple[Unit, ...] = ()  # empty: the whole group, in the batch's one image

    @property
    def name(self) -> str:
        return self.group.name

    @property
    def dirs(self) -> set[str]:
        """The directories checkov reads in this part (the group's scanned and called ones)."""
        if not self.units:
            return {*self.group.dirs, *self.group.dep_dirs}
        return set().union(*(u.dirs for u in self.units))

    def files(self, contents: Mapping[str, bytes], unit: Unit | None = None) -> dict[str, bytes]:
        """The bytes a copy of the whole part (or of one of its units) holds, by path."""
        group = self.group
        if unit is not None:
            return unit_files(group, unit.dirs, contents)
        paths = [c.path for c in group.candidates] + [o.path for o in group.others]
        return {**{str(p): contents[str(p)] for p in paths}, **group.deps}

    @property
    def weight(self) -> int:
        if not self.units:
            return self.group.weight
        return split_weight(self.group, self.units) or 1


def batch_count(parts: list[Part], jobs: int | None) -> int:
    if jobs is not None:
        return max(1, min(jobs, len(parts)))
    if sum(p.weight for p in parts) < SPLIT_MIN_BYTES:
        return 1
    return max(1, min(available_cores(), len(parts)))


def _balanced(parts: list[Part], count: int) -> list[list[Part]]:
    bins: list[tuple[int, int, list[Part]]] = [(0, i, []) for i in range(count)]
    for part in sorted(parts, key=lambda p: (-p.weight, p.name)):
        load, index, members = min(bins)
        members.append(part)
        bins[index] = (load + part.weight, index, members)
    return [sorted(members, key=lambda p: p.name) for _, _, members in bins if members]


def plan(parts: list[Part], jobs: int | None) -> list[list[Part]]:
    """Parts of groups of one root split into balanced batches (deterministic: weight, then name).

    A copy holding a unit is scanned whole (`_images`), where a called directory outside the PATH
    would be reported as a root of its own: a whole group calling out of the PATH never shares a
    batch with units, it goes to one batch of such groups (one image, scanned from the PATH)."""
    count = batch_count(parts, jobs)
    if not any(p.units for p in parts):
        return _balanced(parts, count)
    apart = [p for p in parts if calls_out(p.group)]  # whole: `units_of` never splits them
    rest = [p for p in parts if not calls_out(p.group)]
    if not apart:
        return _balanced(rest, count)
    return _balanced(rest, max(1, count - 1)) + _balanced(apart, 1)


@dataclass(frozen=True)
class Image:
    """Where a copy holds the files of a part (of one of its units, or of the whole batch)."""

    path: Path  # where `base` sits in the copy
    part: int | None  # index of its part in the batch (None: every part of the batch, by directory)
    unit: Unit | None = None


@dataclass
class Batch:
    parts: list[Part]
    run: checkov_run.CheckovRun
    copy: Path  # the temporary directory (removed when done)
    base: str  # the real directory each image stands for
    images: list[Image]
    outputs: dict[int, CheckovOutput] = field(default_factory=dict)  # index in `parts` -> its part's
    unit_outputs: dict[int, dict[Unit, CheckovOutput]] = field(default_factory=dict)  # ... and by unit
    # what matched no part (a result outside every image, an unnamed parsing error): reported with
    # the batch's first part, never cached (`attributed` is then False)
    stray: CheckovOutput = field(default_factory=CheckovOutput)
    attributed: bool = True  # False: some result matched no group (never cache this batch)
    _copy_prefixes: dict[str, list[tuple[str, Image]]] | None = field(default=None, repr=False)

    def _prefixes(self) -> dict[str, list[tuple[str, Image]]]:
        """Each image's spellings (as made, and resolved), by the first directory under the copy's."""
        if self._copy_prefixes is None:  # once: `_real` runs for every result (~30,000 on a large tree)
            self._copy_prefixes = {}
            for image in self.images:
                head = image.path.relative_to(self.copy).parts[:1]
                for prefix in {str(image.path), os.path.realpath(image.path)}:
                    self._copy_prefixes.setdefault(head[0] if head else "", []).append((prefix, image))
        return self._copy_prefixes

    def _real(self, path: str) -> tuple[str, Image | None]:
        """The real path a path in the copy stands for, and the image holding it (None: not in the copy)."""
        prefixes = self._prefixes()
        for copy in (str(self.copy), os.path.realpath(self.copy)):
            if path.startswith(copy + os.sep):
                head = path[len(copy) + 1 :].split(os.sep, 1)[0]
                for prefix, image in (*prefixes.get(head, ()), *prefixes.get("", ())):  # "": the copy itself
                    if path == prefix or path.startswith(prefix + os.sep):
                        rest = path[len(prefix) :].lstrip(os.sep)
                        return (os.path.join(self.base, rest) if rest else self.base), image
        return path, None

    def wait(self) -> None:
        """Wait for checkov, split its report by group and unit (raises CheckovError like a plain run)."""
        try:
            output = self.run.wait()
        finally:
            self.close()
        owner: dict[str, int] = {}
        for index, scanned in enumerate(self.parts):
            for directory in scanned.dirs:
                owner[directory] = index
                owner.setdefault(os.path.realpath(directory), index)
        self.outputs = {i: CheckovOutput(version=output.version) for i in range(len(self.parts))}
        self.unit_outputs = {
            i: {u: CheckovOutput(version=output.version) for u in p.units} for i, p in enumerate(self.parts)
        }
        self.stray = CheckovOutput(version=output.version)

        def parts(path: str, image: Image | None) -> list[CheckovOutput]:
            directory = os.path.dirname(path)
            index = owner.get(directory) if image is None or image.part is None else image.part
            if index is None:
                self.attributed = False
                return [self.stray]
            unit = image.unit if image is not None else None
            if unit is None:
                return [self.outputs[index]]
            if directory not in unit.dirs and os.path.realpath(directory) not in unit.dirs:
                self.attributed = False
            return [self.outputs[index], self.unit_outputs[index][unit]]

        for result in output.results:
            real, image = self._real(result.abs_path)
            moved = result if real == result.abs_path else replace(result, abs_path=real)
            for part in parts(real, image):
                part.results.append(moved)
        for path in output.parsing_errors:
            real, image = self._real(path)
            for part in parts(real, image):
                part.parsing_errors.append(real)
        if output.unnamed_parsing_errors:
            self.attributed = False  # cannot tell which group it belongs to
            self.stray.unnamed_parsing_errors += output.unnamed_parsing_errors

    def cancel(self) -> None:
        if self.run.running:
            self.run.cancel()
        self.close()

    def close(self) -> None:
        scratch.remove(self.copy)


PADDING_NAME = "_"  # one level of the padding above a copy's image (see `padding`)


def _lowest(depth: int, source: str) -> int:
    """The lowest depth a path walk reaches from `depth` levels below the image following `source`."""
    lowest = depth
    for part in source.split("/"):
        if part == "..":
            depth -= 1
            lowest = min(lowest, depth)
        elif part not in ("", "."):
            depth += 1
    return lowest


def padding(files: dict[str, bytes], base: str) -> int:
    """How many directory levels the copy's image must sit below the copy's own directory so that
    every local module source (`source = "../../x"`) of every copied file, walked from its file's
    directory, stays inside the copy.

    checkov loads a called module from disk by following its source: from a copy placed right in
    TMPDIR, `../x` led into a real TMPDIR/x, which checkov read and reported (tfgen dropped the
    results, but the read happened). Under this padding, every `..` chain ends inside the copy's
    private directory (mode 0700), in directories that hold nothing or the copy itself.
    `groups.SOURCE` also matches look-alikes (an attribute called `source`, a comment):
    that can only deepen the padding, never leave a chain uncovered.
    """
    needed = 0
    for path, data in files.items():
        if b"source" not in data:
            continue
        rel = os.path.relpath(os.path.dirname(path), base)
        depth = 0 if rel == "." else len(Path(rel).parts)
        # JSON may spell "/" as "\/" (`.tf.json`): the same walk for checkov
        for source, _ in local_source_lines(data.replace(b"\\/", b"/")):
            needed = max(needed, -_lowest(depth, source))
    return needed


def _write(copy: Path, base: str, path: str, data: bytes) -> None:
    target = copy / os.path.relpath(path, base)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _images(
    copy: Path, base: str, parts: list[Part], contents: Mapping[str, bytes]
) -> list[tuple[Image, dict[str, bytes]]]:
    """Where each part's files go in the copy. With no unit to scan apart, one image holds every
    part (as one checkov run over the tree sees them). Else each unit, and each whole part, has an
    image of its own under `copy/N/`: checkov then reports every root's instances of a module
    apart, and each result's image says whose it is."""
    if not any(p.units for p in parts):
        files = {path: data for p in parts for path, data in p.files(contents).items()}
        return [(Image(copy.joinpath(*([PADDING_NAME] * padding(files, base))), None), files)]
    out: list[tuple[Image, dict[str, bytes]]] = []
    for index, part in enumerate(parts):
        for unit in part.units or (None,):
            files = part.files(contents, unit)
            place = copy.joinpath(str(len(out)), *([PADDING_NAME] * padding(files, base)))
            out.append((Image(place, index, unit), files))
    return out


def start(
    executable: Path,
    parts: list[Part],
    contents: Mapping[str, bytes],
    *,
    checks: list[str] | None = None,
    skip_checks: list[str] | None = None,
    timeout: float | None = None,
    ahead: checkov_run.CheckovRun | None = None,
) -> Batch:
    """Copy the parts (all of one root) into a temporary directory and start checkov on it (on
    `ahead`, a checkov started before its arguments were known, when given)."""
    root = parts[0].group.root
    base = os.path.commonpath([str(root.directory), *(d for p in parts for d in p.group.dep_dirs)])
    try:
        copy = scratch.make("tfgen-checkov-")  # removed by the next run if this one is killed
    except OSError as exc:
        raise CheckovError(
            f"cannot make checkov's copy of the tree: {exc.strerror or exc} ({exc.filename or 'TMPDIR'})"
        ) from None
    try:
        images = _images(copy, base, parts, contents)
        for image, files in images:
            image.path.mkdir(parents=True, exist_ok=True)
            for path, data in files.items():
                _write(image.path, base, path, data)
            for part in parts if image.part is None else [parts[image.part]]:
                for directory in part.group.dep_dirs:
                    if image.unit is None or directory in image.unit.dirs:
                        (image.path / os.path.relpath(directory, base)).mkdir(parents=True, exist_ok=True)
        if len(images) == 1:
            scan = images[0][0].path / os.path.relpath(str(root.directory), base)
            scan.mkdir(parents=True, exist_ok=True)
        else:
            scan = copy
        argv = checkov_run.command(
            executable,
            directories=[scan],
            checks=checks,
            skip_checks=skip_checks,
        )
        run = checkov_run.launch(argv, timeout, [scan], ahead)
    except OSError as exc:  # e.g. the temporary directory's disk is full
        scratch.remove(copy)
        raise CheckovError(f"cannot make checkov's copy of the tree in {copy}: {exc.strerror or exc}") from None
    except BaseException:
        scratch.remove(copy)
        raise
    return Batch(parts, run, copy, base, [image for image, _ in images])
