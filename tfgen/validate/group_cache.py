"""A group's findings and their place in the content-addressed cache (`tfgen.cache.store`).

A group's result depends only on its inputs (see `groups`): its files' bytes, its called
modules' bytes, the checkov that checked it and how, and tfgen's own code. `key` is the digest
of all of them, so a cached entry is never stale; `entry_of`/`check_entry`/`result_of` are the
codec between a `GroupResult` and the JSON the cache stores.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tfgen.cache.keys import code_fingerprint, digest, file_digest
from tfgen.cache.store import Cache
from tfgen.checkov import env as checkov_env
from tfgen.checkov import run as checkov_run
from tfgen.checkov.identity import checkov_identity
from tfgen.validate.findings import FINDING_FIELDS, finding_from_json, finding_to_json
from tfgen.validate.groups import Group
from tfgen.validate.report import STATUSES, Finding
from tfgen.validate.units import Unit, unit_files

NAMESPACE = "group"
UNIT_NAMESPACE = "checkov-unit"  # checkov's findings for one root of a group and what it calls (`units`)


@dataclass(frozen=True)
class CheckovSetup:
    """How checkov runs in this validate run (None where it does not run)."""

    executable: Path
    timeout: float
    checks: list[str] | None  # --check's checkov ids (None: every check)
    skip_checks: list[str] | None


@dataclass(frozen=True)
class GroupResult:
    """The findings of one group (or of the files given as PATHs), and what the run learnt doing it."""

    findings: tuple[Finding, ...] = ()
    checkov_version: str | None = None
    cacheable: bool = True  # False: checkov's report could not be split by group with certainty

    def joined(
        self, findings: list[Finding], *, checkov_version: str | None = None, cacheable: bool = True
    ) -> GroupResult:
        return GroupResult(
            (*self.findings, *findings), checkov_version or self.checkov_version, self.cacheable and cacheable
        )


def _how(checkov: CheckovSetup | None) -> dict[str, Any] | None:
    how = None
    if checkov is not None:
        how = {
            "identity": checkov_identity(str(checkov.executable)),
            "checks": checkov.checks,
            "skip_checks": checkov.skip_checks,
            "frameworks": checkov_run.FRAMEWORKS,
            "flags": checkov_env.OFFLINE_FLAGS,
            "env": checkov_env.OFFLINE_ENV,
        }
    return how


def _where_and_how(group: Group, checkov: CheckovSetup | None, max_file_bytes: int) -> list[Any]:
    """What both keys hold besides the files: tfgen's source, how checkov runs, the file-size bound,
    and where the group's PATH sits (findings name files from it)."""
    return [code_fingerprint(), _how(checkov), max_file_bytes, [str(group.root.directory), group.root.prefix]]


def key(
    group: Group,
    contents: dict[str, bytes],
    checkov: CheckovSetup | None,
    max_file_bytes: int,
    units: tuple[Unit, ...] = (),
    linked: str = "",
) -> str:
    """The digest of everything the group's result depends on, the units checkov scans apart
    (`units.units_of`, which reads the PATH too: its downloaded modules) among them; `linked`, the
    `linked_digest` of the groups of other PATHs linked to it (their calls give its modules values)."""
    return digest(
        NAMESPACE,
        *_where_and_how(group, checkov, max_file_bytes),
        sorted(_inputs(group, contents)),
        sorted(group.dep_dirs),
        [sorted(u.dirs) for u in units],
        linked,
    )


def linked_digest(group: Group, contents: dict[str, bytes]) -> str:
    """The digest of the inputs of a group and of every group linked to it (`Group.linked`): the same for
    each member of the set, so a run computes it once per set ("" for a group linked to none)."""
    if not group.linked:
        return ""
    members = sorted((group, *group.linked), key=lambda g: (str(g.root.directory), g.name))
    return digest(NAMESPACE, [[str(g.root.directory), g.name, sorted(_inputs(g, contents))] for g in members])


def _inputs(group: Group, contents: dict[str, bytes]) -> list[tuple[str, str]]:
    """Each file a group's result reads, with its digest: its own, its called modules', and the files its
    Terraform reads."""
    files = [(str(c.path), file_digest(contents[str(c.path)])) for c in group.candidates]
    files += [(str(o.path), file_digest(contents[str(o.path)])) for o in group.others]
    files += [(path, file_digest(data)) for path, data in group.deps.items()]
    files += [(path, read.fingerprint) for path, read in group.reads.items()]
    return files


def unit_key(
    group: Group, unit: Unit, contents: dict[str, bytes], checkov: CheckovSetup | None, max_file_bytes: int
) -> str:
    """The digest of everything checkov's findings for one unit depend on: the files of its copy
    (`units.unit_files`), where it sits, and checkov and how it runs."""
    files = [(path, file_digest(data)) for path, data in unit_files(group, unit.dirs, contents).items()]
    return digest(
        UNIT_NAMESPACE,
        *_where_and_how(group, checkov, max_file_bytes),
        sorted(files),
        sorted(unit.dirs),
    )


def entry_of(result: GroupResult) -> dict[str, Any]:
    return {"findings": [finding_to_json(f) for f in result.findings], "checkov_version": result.checkov_version}


_FIELD_SET = set(FINDING_FIELDS)


def check_entry(value: Any) -> None:
    """Raise ValueError unless `value` has the shape `entry_of` writes (a damaged or foreign entry is recomputed)."""
    if not (isinstance(value, dict) and isinstance(value["findings"], list)):
        raise ValueError("not a group entry")
    for item in value["findings"]:
        if not isinstance(item, dict) or item.keys() != _FIELD_SET or item["status"] not in STATUSES:
            raise ValueError("not a finding")
        if not (isinstance(item["id"], str) and isinstance(item["file"], str) and isinstance(item["line"], int)):
            raise ValueError("not a finding")


def result_of(value: dict[str, Any]) -> GroupResult:
    return GroupResult(tuple(finding_from_json(item) for item in value["findings"]), value.get("checkov_version"))


def has(store: Cache, group_key: str) -> bool:
    """The store holds an entry for this group key (a stat: whether it reads is `get`'s)."""
    return store.has(NAMESPACE, group_key)


def get(store: Cache, group_key: str) -> GroupResult | None:
    value = store.get(NAMESPACE, group_key, check_entry)
    return None if value is None else result_of(value)


def put(store: Cache, group_key: str, result: GroupResult) -> None:
    store.put(NAMESPACE, group_key, entry_of(result))


def get_unit(store: Cache, unit_key: str) -> GroupResult | None:
    value = store.get(UNIT_NAMESPACE, unit_key, check_entry)
    return None if value is None else result_of(value)


def put_unit(store: Cache, unit_key: str, result: GroupResult) -> None:
    store.put(UNIT_NAMESPACE, unit_key, entry_of(result))
