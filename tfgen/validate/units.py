"""A module-call group's roots: what checkov scans apart, so that one edit rescans one root.

A group joins every directory that calls, or is called by, another (`groups`). Its roots are the
directories nothing in the group calls; a root's unit is the root and every directory it calls,
transitively. checkov gets each unit of a group in a copy of its own (`checkov_batches`), all in
one process: one unit's findings never depend on another's, so each is cached on its own
(`group_cache.unit_key`), and after an edit to one root checkov rescans that root and the modules
it calls, not the other roots calling the same modules.

Scanned together, checkov 3.3.30 merges the instances of one module that two roots call under the
same name (`module "shared"` in live/a and live/b): it reports one instance's result per resource
address, the other root's hidden. Scanned apart, every root's instance is reported.

A group is not split (`units_of` returns nothing) where a unit's copy could not stand for it: a
single root, a cycle of calls (a directory no root reaches), a root's Terraform reading a file in
another unit's directory, a module outside the scanned directories reading a file (`split_roots`
says which PATHs are split at all).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from tfgen.validate.groups import DOWNLOADED_MODULES_DIR, Group


@dataclass(frozen=True)
class Unit:
    top: str  # the root directory
    dirs: frozenset[str]  # it and every directory of the group it calls, transitively


def split_roots(groups: Iterable[Group]) -> set[str]:
    """The PATHs whose groups may be split: a unit's copy is scanned from its own top directory, so
    a PATH whose groups call a directory outside it, or whose modules checkov downloaded
    (`.external_modules`, looked up beside the scanned directory), is scanned as before."""
    out: set[str] = set()
    refused: set[str] = set()
    for group in groups:
        root = str(group.root.directory)
        inside = os.path.join(root, "")
        if any(not d.startswith(inside) for d in group.dep_dirs) or os.path.isdir(
            os.path.join(root, DOWNLOADED_MODULES_DIR)
        ):
            refused.add(root)
        out.add(root)
    return out - refused


def units_of(group: Group) -> tuple[Unit, ...]:
    """The group's units, by root; empty where the group is checked whole (see the module docstring)."""
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
    if any(b"file" in data for path, data in group.deps.items() if os.path.dirname(path) in dep_dirs):
        return ()
    return tuple(units)


def unit_files(group: Group, dirs: frozenset[str] | set[str]) -> list[str]:
    """The paths checkov's copy holds for these directories of the group: their Terraform and other
    files, their called modules' files, and the downloaded modules every group of the PATH holds."""
    own = {*group.dirs, *group.dep_dirs}
    paths = [str(c.path) for c in group.candidates if str(c.path.parent) in dirs]
    paths += [str(o.path) for o in group.others if str(o.path.parent) in dirs]
    paths += [p for p in group.deps if os.path.dirname(p) in dirs or os.path.dirname(p) not in own]
    return paths
