"""A module-call group's roots: what checkov scans apart, so that one edit rescans one root.

A group joins every directory that calls, or is called by, another (`groups`). Its roots are the
directories nothing in the group calls; a root's unit is the root and every directory it calls,
transitively. checkov gets each unit of a group in a copy of its own (`checkov_batches`), all in
one process: one unit's findings never depend on another's, so each is cached on its own
(`group_cache.unit_key`), and after an edit to one root checkov rescans that root and the modules
it calls, not the other roots calling the same modules.

Scanned together, checkov 3.3.30 merges the instances of one module that two roots call under the
same name (`module "shared"` in live/a and live/b): it reports one instance's result per resource
address, the other root's hidden. Scanned apart, each root's instance is checked, but a finding
names the check, file, line and resource address, never the calling root: instances with the same
status are one finding. So what splitting adds is exactly the statuses that differ between the
instances (live/a's passes a check that live/b's fails: both findings appear).

A group is not split (`units_of` returns nothing) where a unit's copy could not stand for it: a
single root, a cycle of calls (a directory no root reaches), a root's Terraform reading a file in
another unit's directory, a module outside the scanned directories reading a file, a call to a
directory outside the group's PATH, a PATH holding modules checkov downloaded. Nor where the copies
would cost too much (`MAX_SPLIT_RATIO`). The decision reads the group alone (its files and its
PATH), never which other groups run with it, so a warm run, a shard or `--changed-since` split a
group exactly as a full run does; it is part of the group's cache key (`group_cache.key`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tfgen.validate.groups import DOWNLOADED_MODULES_DIR, Group


@dataclass(frozen=True)
class Unit:
    top: str  # the root directory
    dirs: frozenset[str]  # it and every directory of the group it calls, transitively


# checkov's work on a split group is the summed weight of its units (a module is scanned once per
# unit calling it): a group is split only where that is at most this many times the whole group's
# weight. Any group of 2 or 3 roots passes (no unit outweighs the group); k roots sharing one module
# much larger than themselves pass only up to k = 3. Measured with bench/roots.py (user CPU of
# checkov, a 200-line module called by k one-call roots, see docs/performance.md): split costs
# 1.08x the whole scan at k = 3, 1.34x at k = 16 and 2.13x at k = 64, growing with k without bound.
MAX_SPLIT_RATIO = 3.0


def calls_out(group: Group) -> bool:
    """Whether the group calls a directory outside its PATH. Such a group's copy holds that
    directory beside the PATH's, and a copy of several images is scanned whole (`checkov_batches`):
    checkov would report the called module again as a root of its own."""
    inside = os.path.join(str(group.root.directory), "")
    return any(not d.startswith(inside) for d in group.dep_dirs)


def split_weight(group: Group, units: Iterable[Unit]) -> int:
    """The Terraform bytes checkov scans for these units, a module once per unit holding it."""
    dirs = [u.dirs for u in units]
    return sum(c.size for c in group.candidates for d in dirs if str(c.path.parent) in d)


def units_of(group: Group) -> tuple[Unit, ...]:
    """The group's units, by root; empty where the group is checked whole (see the module docstring).
    Reads the group and its PATH alone: the same group is split the same way in every run."""
    if calls_out(group) or os.path.isdir(os.path.join(str(group.root.directory), DOWNLOADED_MODULES_DIR)):
        # the copies are scanned from above the PATH, where checkov does not look for downloaded modules
        return ()
    every = {*group.dirs, *group.dep_dirs}
    called = {d for targets in group.calls.values() for d in targets}
    tops = sorted(every - called)
    if len(tops) < 2:
        return ()
    units: list[Unit] = []
    for top in tops:
        seen = {top}
        todo = [top]
        while todo:
            for target in group.calls.get(todo.pop(), ()):
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        units.append(Unit(top, frozenset(seen)))
    if set().union(*(u.dirs for u in units)) != every:
        return ()
    for unit in units:
        for directory in unit.dirs:
            for path in group.read_by.get(directory, ()):
                read_dir = os.path.dirname(path)
                if read_dir in every and read_dir not in unit.dirs:
                    return ()
    dep_dirs = set(group.dep_dirs)
    # a byte test, not a parse: it also matches `profile` or a comment, which only ever keeps a
    # group whole (scanned as it always was), never splits one that reads a file
    if any(b"file" in data for path, data in group.deps.items() if os.path.dirname(path) in dep_dirs):
        return ()
    if split_weight(group, units) > MAX_SPLIT_RATIO * sum(c.size for c in group.candidates):
        return ()
    return tuple(units)


def unit_files(group: Group, dirs: frozenset[str] | set[str], contents: Mapping[str, bytes]) -> dict[str, bytes]:
    """The files checkov's copy holds for these directories of the group, by path, with their bytes:
    their Terraform and other files, their called modules' files, and the downloaded modules every
    group of the PATH holds (`contents` has the bytes read for the group's own files)."""
    own = {*group.dirs, *group.dep_dirs}
    paths = [str(c.path) for c in group.candidates if str(c.path.parent) in dirs]
    paths += [str(o.path) for o in group.others if str(o.path.parent) in dirs]
    paths += [p for p in group.deps if os.path.dirname(p) in dirs or os.path.dirname(p) not in own]
    return {p: contents[p] if p in contents else group.deps[p] for p in paths}
