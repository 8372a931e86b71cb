"""checkov over copies of some groups: parallel runs that report what one run over the tree would.

checkov scans one directory per process well: several `-d` in one process run one after
another and, measured on 3.3.30, a called module given its own `-d` is reported again as a
root. So each batch of groups is copied, at the same relative paths, into a temporary
directory that one checkov process scans, and the batches run side by side. The copy holds
exactly the bytes tfgen read and hashed (so a cache key and checkov's input cannot disagree),
and nothing tfgen keeps away from checkov (FIFOs, huge files). Paths in checkov's report are
mapped back to the real tree; each result goes to the group of its directory.

Batches are balanced by weight (Terraform bytes), largest group first. A tree too small to
repay a second checkov start-up (2.5 to 3.5 s of CPU) is scanned in one batch.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from tfgen.checkov import run as checkov_run
from tfgen.checkov import scratch
from tfgen.checkov.run import CheckovOutput, CheckovResult
from tfgen.errors import CheckovError
from tfgen.validate.groups import Group, local_source_lines

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


def batch_count(groups: list[Group], jobs: int | None) -> int:
    if jobs is not None:
        return max(1, min(jobs, len(groups)))
    if sum(g.weight for g in groups) < SPLIT_MIN_BYTES:
        return 1
    return max(1, min(available_cores(), len(groups)))


def plan(groups: list[Group], jobs: int | None) -> list[list[Group]]:
    """Groups of one root split into balanced batches (deterministic: weight, then name)."""
    count = batch_count(groups, jobs)
    bins: list[tuple[int, int, list[Group]]] = [(0, i, []) for i in range(count)]
    for group in sorted(groups, key=lambda g: (-g.weight, g.name)):
        load, index, members = min(bins)
        members.append(group)
        bins[index] = (load + group.weight, index, members)
    return [sorted(members, key=lambda g: g.name) for _, _, members in bins if members]


@dataclass
class Batch:
    groups: list[Group]
    run: checkov_run.CheckovRun
    copy: Path  # the temporary directory (removed when done)
    base: str  # the real directory the copy's image stands for
    image: Path  # where `base` sits in the copy: `copy` under `padding` levels
    outputs: dict[int, CheckovOutput] = field(default_factory=dict)  # index in `groups` -> its part
    attributed: bool = True  # False: some result matched no group (never cache this batch)
    _copy_prefixes: set[str] | None = field(default=None, repr=False)

    def _prefixes(self) -> set[str]:
        if self._copy_prefixes is None:  # once: `_real` runs for every result (~11,000 on a large tree)
            self._copy_prefixes = {str(self.image), os.path.realpath(self.image)}
        return self._copy_prefixes

    def _real(self, path: str) -> str:
        for prefix in self._prefixes():
            if path == prefix or path.startswith(prefix + os.sep):
                rest = path[len(prefix) :].lstrip(os.sep)
                return os.path.join(self.base, rest) if rest else self.base
        return path

    def wait(self) -> None:
        """Wait for checkov, split its report by group (raises CheckovError like a plain run)."""
        try:
            output = self.run.wait()
        finally:
            self.close()
        owner: dict[str, int] = {}
        for index, group in enumerate(self.groups):
            for directory in (*group.dirs, *group.dep_dirs):
                owner[directory] = index
                owner.setdefault(os.path.realpath(directory), index)
        self.outputs = {i: CheckovOutput(version=output.version) for i in range(len(self.groups))}

        def part(path: str) -> CheckovOutput:
            index = owner.get(os.path.dirname(path))
            if index is None:
                self.attributed = False
                index = 0
            return self.outputs[index]

        for result in output.results:
            real = self._real(result.abs_path)
            part(real).results.append(_moved(result, real))
        for path in output.parsing_errors:
            real = self._real(path)
            part(real).parsing_errors.append(real)
        if output.unnamed_parsing_errors:
            self.attributed = False  # cannot tell which group it belongs to
            self.outputs[0].unnamed_parsing_errors += output.unnamed_parsing_errors

    def cancel(self) -> None:
        if self.run.running:
            self.run.cancel()
        self.close()

    def close(self) -> None:
        scratch.remove(self.copy)


def _moved(result: CheckovResult, abs_path: str) -> CheckovResult:
    return result if abs_path == result.abs_path else replace(result, abs_path=abs_path)


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
    `groups.LOCAL_SOURCE` also matches look-alikes (an attribute called `source`, a comment):
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


def start(
    executable: Path,
    groups: list[Group],
    contents: dict[str, bytes],
    *,
    checks: list[str] | None = None,
    skip_checks: list[str] | None = None,
    timeout: float | None = None,
) -> Batch:
    """Copy `groups` (all of one root) into a temporary directory and start checkov on it."""
    root = groups[0].root
    base = os.path.commonpath([str(root.directory), *(d for g in groups for d in g.dep_dirs)])
    try:
        copy = scratch.make("tfgen-checkov-")  # removed by the next run if this one is killed
    except OSError as exc:
        raise CheckovError(
            f"cannot make checkov's copy of the tree: {exc.strerror or exc} ({exc.filename or 'TMPDIR'})"
        ) from None
    files: dict[str, bytes] = {}
    for group in groups:
        paths = [c.path for c in group.candidates] + [o.path for o in group.others]
        files.update((str(path), contents[str(path)]) for path in paths)
        files.update(group.deps)
    image = copy.joinpath(*([PADDING_NAME] * padding(files, base)))
    try:
        image.mkdir(parents=True, exist_ok=True)
        for path, data in files.items():
            _write(image, base, path, data)
        for group in groups:
            for directory in group.dep_dirs:
                (image / os.path.relpath(directory, base)).mkdir(parents=True, exist_ok=True)
        scan = image / os.path.relpath(str(root.directory), base)
        scan.mkdir(parents=True, exist_ok=True)
        argv = checkov_run.command(
            executable,
            directories=[scan],
            checks=checks,
            skip_checks=skip_checks,
        )
        run = checkov_run.CheckovRun(argv, timeout, base_dirs=[scan])
    except OSError as exc:  # e.g. the temporary directory's disk is full
        scratch.remove(copy)
        raise CheckovError(f"cannot make checkov's copy of the tree in {copy}: {exc.strerror or exc}") from None
    except BaseException:
        scratch.remove(copy)
        raise
    return Batch(groups, run, copy, base, image)
