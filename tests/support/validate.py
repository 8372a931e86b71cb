"""Shared helpers for the `tfgen validate` tests (imported by tests/test_validate_*.py)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from tfgen.checkov import env as checkov_env
from tfgen.errors import CheckovError
from tfgen.hcl.read import parse_text
from tfgen.validate.discover import Candidate, ScanRoot
from tfgen.validate.module import Module, SourceFile
from tfgen.validate.rules import Result, run_rules

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"


def checkov_or_skip() -> Path:
    """The real checkov (tfgen's environment, or $TFGEN_CHECKOV); skip the test if it is absent."""
    try:
        return checkov_env.locate()
    except CheckovError as exc:
        pytest.skip(f"checkov is not installed: {exc}")


def module_from(files: dict[str, str], directory: Path | None = None) -> Module:
    """A Module from in-memory files (name -> text), as the engine would build it."""
    base = directory or Path("/virtual/module")
    root = ScanRoot(str(base), base)
    module = Module(base)
    for name, text in files.items():
        kind = "json" if name.endswith(".json") else "hcl"
        candidate = Candidate(root, base / name, name, kind, size=len(text))
        if kind == "json":
            from tfgen.hcl.read import parse_json_text

            parsed = parse_json_text(text, name)
        else:
            parsed = parse_text(text, name)
        module.add(SourceFile(candidate, parsed))
    return module


def results_for(text: str, *, name: str = "main.tf", extra: dict[str, str] | None = None) -> list[Result]:
    files = {name: text, **(extra or {})}
    return list(run_rules(module_from(files)))


def statuses(results: list[Result], rule_id: str) -> list[str]:
    return [r.status for r in results if r.rule.id == rule_id]


def shared_json(tmp_path_factory: pytest.TempPathFactory, name: str, compute: Callable[[], Any]) -> Any:
    """Compute a JSON-able value once per test session, even across pytest-xdist workers."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    target = base / f"{name}.json"
    lock = base / f"{name}.lock"
    while True:
        if target.exists():
            return json.loads(target.read_text())
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            time.sleep(0.2)
            continue
        try:
            value = compute()
            partial = target.with_suffix(".partial")
            partial.write_text(json.dumps(value))
            partial.replace(target)
            return value
        finally:
            os.close(fd)
            lock.unlink()


def write_tree(base: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `files` (relative path -> text or bytes) under `base`, making directories; returns `base`."""
    for rel, content in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="\n")
    return base


def report_case(tmp_path: Path) -> Path:
    """tests/cases/report (four failed findings, one skipped) copied to `tmp_path/tree`; returns `tmp_path`."""
    import shutil

    shutil.copytree(ROOT / "tests" / "cases" / "report", tmp_path / "tree")
    return tmp_path


# A module whose policy allows whatever actions its caller passes (tests/cases/policy_module).
POLICY_MODULE = (ROOT / "tests" / "cases" / "policy_module" / "main.tf").read_text(encoding="utf-8")
