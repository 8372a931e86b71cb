"""A `tfgen init` killed (SIGKILL) at any write or rename step of a re-render: the whole old or the whole new tree.

The re-render changes five files and removes one stale file. For each step N it copies the
old tree, runs `tfgen init` with other answers in its own process and SIGKILLs it just before
step N (`tests/support/crash_at_step.py`), then runs a plain `tfgen init`: that must succeed,
and the tree must then be the whole old one or the whole new one, with no staging left. The
steps come from one run of the same re-render that is not killed, and are split into SHARDS
tests so that test workers share them.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.in_process_cli import one_error_line
from support.init_tree import MANIFEST, OTHER_ANSWERS, files, init, init_process, tree

CRASH = [sys.executable, str(Path(__file__).parent / "support" / "crash_at_step.py")]
LEGACY = "modules/legacy/main.tf"  # rendered by an older blueprint: the re-render removes it
USERS = "terraform.tfstate"  # not tfgen's: survives everything
SHARDS = 4  # steps shard+1, shard+1+SHARDS, ...: test workers share the steps, each shard crosses the intent record


def _old_tree(root: Path, cache: Path) -> Path:
    out = root / "old"
    assert init(out, cache=cache)[0] == 0
    legacy = b"# rendered by an older blueprint\n"
    (out / "modules/legacy").mkdir()
    (out / LEGACY).write_bytes(legacy)
    document = json.loads((out / MANIFEST).read_text())
    document["files"][LEGACY] = hashlib.sha256(legacy).hexdigest()
    (out / MANIFEST).write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
    (out / USERS).write_text("{}")
    return out


def _staging_left(work: Path, out: Path) -> list[str]:
    return sorted(
        [p.name for p in work.glob(".*.tfgen-*")]
        + [str(p) for p in out.rglob("*tfgen-*")]
        + ([".tfgen/txn"] if (out / ".tfgen/txn").exists() else [])
    )


@dataclass(frozen=True)
class Rerender:
    """The re-render under test: its trees, and every step it takes (from one run that is not killed)."""

    template: Path  # the old tree, copied before each run
    cache: Path
    old: dict[str, bytes]
    new: dict[str, bytes]  # what the re-render writes
    old_rerun: dict[str, bytes]  # a plain init of the old tree: the old answers, the stale file removed
    calls: list[str]  # step I is calls[I - 1]
    intent: int  # the step that puts the intent record in place: from the next step on, the new tree wins


@pytest.fixture(scope="module")
def rerender(tmp_path_factory: pytest.TempPathFactory) -> Rerender:
    root = tmp_path_factory.mktemp("rerender")
    cache = root / "cache"
    template = _old_tree(root, cache)
    old = files(template)
    new_out = root / "new"
    shutil.copytree(template, new_out)
    assert init(new_out, answers=OTHER_ANSWERS, cache=cache)[0] == 0
    new = files(new_out)
    old_out = root / "old-rerun"
    shutil.copytree(template, old_out)
    assert init(old_out, answers=[], cache=cache)[0] == 0
    old_rerun = files(old_out)
    assert LEGACY not in old_rerun and old_rerun["variables.tf"] == old["variables.tf"]
    assert LEGACY not in new and new[USERS] == b"{}"
    changed = {p for p in set(old) | set(new) if old.get(p) != new.get(p)}
    assert len(changed) >= 6, changed  # five rewritten, one removed
    # The same re-render under the wrapper, never killed: it completes as a plain one and lists its steps.
    work = root / "complete"
    shutil.copytree(template, work / "out")
    run = init_process(work / "out", "--cache-dir", str(cache), answers=OTHER_ANSWERS, prefix=[*CRASH, str(10**9)])
    assert run.returncode == 0, run.stderr
    assert files(work / "out") == new and _staging_left(work, work / "out") == []
    calls = re.findall(r"^step \d+: (.*)$", run.stderr, re.MULTILINE)
    assert f"steps: {len(calls)}" in run.stderr and len(calls) > 30, run.stderr
    [intent] = [i for i, call in enumerate(calls, 1) if call.startswith("replace(") and call.endswith(", intent.json)")]
    return Rerender(template, cache, old, new, old_rerun, calls, intent)


@pytest.mark.parametrize("shard", range(SHARDS))
def test_a_kill_at_any_step_leaves_the_whole_old_or_the_whole_new_tree(
    rerender: Rerender, shard: int, tmp_path: Path
) -> None:
    """Killed before step N, for every step N of the re-render (this shard's N: shard+1, shard+1+SHARDS, ...)."""
    old, new, old_rerun, cache = rerender.old, rerender.new, rerender.old_rerun, rerender.cache
    outcomes: dict[str, list[int]] = {"old": [], "new": []}
    steps = range(shard + 1, len(rerender.calls) + 1, SHARDS)
    for step in steps:
        work = tmp_path / f"step-{step}"
        out = work / "out"
        shutil.copytree(rerender.template, out)
        crashed = init_process(out, "--cache-dir", str(cache), answers=OTHER_ANSWERS, prefix=[*CRASH, str(step)])
        assert crashed.returncode == -signal.SIGKILL, crashed.stderr
        call = rerender.calls[step - 1].split("(")[0]  # the name: an argument may be a path of this run
        assert f"crash-at-step {step}: {call}(" in crashed.stderr, crashed.stderr
        txn = out / ".tfgen/txn"
        intent = (txn / "intent.json").exists()
        done = (txn / "done.json").exists()
        staging = (txn / "new").exists() and not (intent or done)
        outside_txn = {p: b for p, b in files(out).items() if not p.startswith(".tfgen/txn/")}
        if staging:  # nothing is replaced before the intent record exists
            assert outside_txn == old, f"step {step}"
        elif done:
            assert outside_txn == new, f"step {step}"
        elif not intent:  # before the transaction began, or after its last file was removed
            assert outside_txn in (old, new), f"step {step}"

        if intent and not outcomes["new"]:  # once: --check reports the half-written render and writes nothing
            before = tree(work)
            code, output = init(out, "--check", answers=[], cache=cache)
            assert code == 1 and "interrupted tfgen init" in one_error_line(output), output
            assert tree(work) == before

        code, output = init(out, answers=[], cache=cache)  # plain: the saved answers
        assert code == 0, f"step {step} ({crashed.stderr.strip()}): {output}"
        after = files(out)
        assert after in (old_rerun, new), f"step {step} ({crashed.stderr.strip()}): mixed tree"
        outcomes["old" if after == old_rerun else "new"].append(step)
        if intent:
            assert after == new and "finished an interrupted tfgen init" in output, output
        elif staging:
            assert after == old_rerun and "rolled back an interrupted tfgen init" in output, output
        else:
            assert "interrupted" not in output, output
        assert _staging_left(work, out) == [], f"step {step}"
        shutil.rmtree(work)
    # The old tree up to the step that puts the intent record in place, the new one after it.
    assert outcomes == {
        "old": [s for s in steps if s <= rerender.intent],
        "new": [s for s in steps if s > rerender.intent],
    }
    assert outcomes["old"] and outcomes["new"], outcomes


def test_a_file_changed_after_the_kill_is_not_overwritten_by_the_recovery(rerender: Rerender, tmp_path: Path) -> None:
    """Finishing an interrupted render must not replace what the user wrote since."""
    work = tmp_path / "try"
    shutil.copytree(rerender.template, work)
    step = rerender.intent + 1  # the first step after the intent record exists
    crashed = init_process(work, "--cache-dir", str(rerender.cache), answers=OTHER_ANSWERS, prefix=[*CRASH, str(step)])
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    assert (work / ".tfgen/txn/intent.json").exists()
    (work / "variables.tf").write_text("# mine now\n")
    before = tree(work)
    code, output = init(work, answers=[], cache=rerender.cache)
    assert code == 1, output
    line = one_error_line(output)
    assert "variables.tf" in line and "interrupted" in line
    assert tree(work) == before


def test_a_tampered_intent_record_is_refused_and_nothing_is_touched(tmp_path: Path) -> None:
    """The intent record is read like the manifest: a path outside --out is one line, exit 2."""
    out = tmp_path / "out"
    assert init(out)[0] == 0
    (tmp_path / "victim").write_text("keep\n")
    staged = out / ".tfgen/txn/new"
    staged.mkdir(parents=True)
    (staged / "main.tf").write_text("# planted\n")
    record = {
        "tool": "tfgen",
        "write": {"../victim": {"old": None, "new": hashlib.sha256(b"# planted\n").hexdigest()}},
        "remove": {},
    }
    (out / ".tfgen/txn/intent.json").write_text(json.dumps(record))
    before = tree(tmp_path)
    code, output = init(out)
    assert code == 2, output
    assert "intent.json: not a tfgen intent record" in one_error_line(output)
    assert tree(tmp_path) == before
