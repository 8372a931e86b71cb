"""No hangs, no orphans: checkov is stopped with every process it started, and dies with tfgen.

These run the real CLI in a subprocess (a real `kill -9` needs a real process) with a fake
checkov that hangs and starts a child of its own, as checkov 3.3.30 forks a worker; a bad timeout,
refused before anything starts, is read in this process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from support import in_process_cli, processes
from support.fake_checkov import PASSED, SPAWN_SLEEPING_CHILD, FakeCheckov

CHECKABLE = Path(__file__).parent / "checkov_cases" / "checkable"
HANG = SPAWN_SLEEPING_CHILD + "time.sleep(300)\n"
WAIT_LIMIT = 60.0  # generous: only a failure waits this long


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_LIMIT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"still not {what} after {WAIT_LIMIT:.0f} s")
        time.sleep(0.05)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    environment = dict(os.environ, TMPDIR=str(tmp))
    environment.pop("TFGEN_CHECKOV_TIMEOUT", None)
    return environment


def tfgen(env: dict[str, str], fake: FakeCheckov, *flags: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tfgen", "validate", str(CHECKABLE), "--no-cache", "--checkov", str(fake.path), *flags],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def scratch_dirs(env: dict[str, str]) -> list[Path]:
    return sorted(p for p in Path(env["TMPDIR"]).iterdir() if p.name.startswith("tfgen-checkov-"))


@pytest.mark.parametrize(
    ("how", "own_script"),
    [("flag", False), ("environment", False), ("flag", True)],
    ids=["flag", "environment", "own-script"],
)
def test_a_hung_checkov_is_stopped_with_its_child(
    tmp_path: Path, env: dict[str, str], how: str, own_script: bool
) -> None:
    """`own_script`: checkov's own script, run by tfgen's driver (`checkov_run.DRIVER`), hangs."""
    fake = FakeCheckov(tmp_path / "fake", json.dumps(PASSED), body=HANG, environment=own_script)
    if how == "environment":
        env["TFGEN_CHECKOV_TIMEOUT"] = "2"
    run = tfgen(env, fake, *(["--checkov-timeout", "2"] if how == "flag" else []))
    try:
        _, stderr = run.communicate(timeout=WAIT_LIMIT)
    finally:
        run.kill()
    assert run.returncode == 2, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines() == [
        "tfgen: error: checkov did not finish within 2 s and was stopped with every process it started; "
        "raise --checkov-timeout or TFGEN_CHECKOV_TIMEOUT for a tree this large"
    ]
    pids = fake.pids()
    assert len(pids) == 2, "the fake checkov and its child both started"
    wait_for(lambda: all(not processes.alive(pid) for pid in pids), "gone")
    assert scratch_dirs(env) == [], "the copy checkov scanned is removed"


@pytest.mark.parametrize("value", ["0", "-5", "abc", "inf"])
def test_a_bad_timeout_is_one_line_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    """Refused before any process starts: run through the entry point in this process."""
    fake = FakeCheckov(tmp_path / "fake", json.dumps(PASSED))
    monkeypatch.delenv("TFGEN_CHECKOV_TIMEOUT", raising=False)
    for flags, env in ((["--checkov-timeout", value], {}), ([], {"TFGEN_CHECKOV_TIMEOUT": value})):
        args = ("validate", str(CHECKABLE), "--no-cache", "--checkov", str(fake.path), *flags)
        run = in_process_cli.tfgen(*args, cwd=tmp_path, env=env)
        assert run.returncode == 2, run.stderr
        [line] = run.stderr.strip().splitlines()
        assert line.startswith("tfgen: error: ") and ("--checkov-timeout" in line or "TFGEN_CHECKOV_TIMEOUT" in line), (
            line
        )
        assert fake.pids() == [], "checkov never started"


def start_hung(
    tmp_path: Path, env: dict[str, str], own_script: bool = False
) -> tuple[subprocess.Popen[str], FakeCheckov, Path]:
    """A tfgen run whose checkov (and checkov's child) hang; and the copy it made for checkov."""
    fake = FakeCheckov(tmp_path / "hung", json.dumps(PASSED), body=HANG, environment=own_script)
    run = tfgen(env, fake)
    try:
        wait_for(lambda: len(fake.pids()) == 2, "started (checkov and its child)")
    except BaseException:
        run.kill()
        raise
    [copy] = scratch_dirs(env)
    return run, fake, copy


def stop(run: subprocess.Popen[str], how: signal.Signals, fake: FakeCheckov) -> None:
    """Signal tfgen; then its checkov and checkov's child must go too."""
    try:
        os.kill(run.pid, how)
        run.wait(timeout=WAIT_LIMIT)
    finally:
        run.kill()
        run.communicate()
    pids = fake.pids()
    wait_for(lambda: all(not processes.alive(pid) for pid in pids), f"gone after tfgen got {how.name}")


def run_quickly(tmp_path: Path, env: dict[str, str]) -> None:
    after = tfgen(env, FakeCheckov(tmp_path / "quick", json.dumps(PASSED)))
    _, stderr = after.communicate(timeout=WAIT_LIMIT)
    assert after.returncode == 0, stderr


@pytest.mark.parametrize("own_script", [False, True], ids=["as-is", "own-script"])
def test_kill_9_of_tfgen_takes_checkov_down_and_the_next_run_removes_the_copy(
    tmp_path: Path, env: dict[str, str], own_script: bool
) -> None:
    run, fake, left = start_hung(tmp_path, env, own_script)
    assert left.name.startswith(f"tfgen-checkov-{run.pid}-"), "the owner's pid is in the name"
    stop(run, signal.SIGKILL, fake)
    assert left.is_dir(), "a killed tfgen cannot remove its copy itself"
    run_quickly(tmp_path, env)
    assert not left.exists(), "the next run removed the dead run's copy"
    assert scratch_dirs(env) == []


def test_a_live_concurrent_run_keeps_its_copy(tmp_path: Path, env: dict[str, str]) -> None:
    first, fake, mine = start_hung(tmp_path, env)
    try:
        run_quickly(tmp_path, env)
        assert mine.is_dir() and (mine / "main.tf").is_file(), "a live run's copy is never swept"
    finally:
        stop(first, signal.SIGTERM, fake)  # Python's default: exit at once, no clean-up of its own


INIT_ARGS = (
    "init",
    "--non-interactive",
    "--account-id",
    "123456789012",
    "--region",
    "eu-west-1",
    "--name",
    "acme",
    "--no-cache",
)
PROTON_BUNDLE = Path(__file__).parent / "proton_bundles" / "env_network" / "v1"


@pytest.mark.parametrize(
    "command", [INIT_ARGS, ("migrate", "proton", str(PROTON_BUNDLE))], ids=["init", "migrate-proton"]
)
def test_the_timeout_flag_stops_a_hung_checkov_on_init_and_migrate(
    command: tuple[str, ...], tmp_path: Path, env: dict[str, str]
) -> None:
    fake = FakeCheckov(tmp_path / "fake", json.dumps(PASSED), body=HANG)
    out = tmp_path / "out"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "tfgen",
            *command,
            "--out",
            str(out),
            "--checkov",
            str(fake.path),
            "--checkov-timeout",
            "2",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT_LIMIT,
    )
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip().splitlines()[-1] == (
        "tfgen: error: checkov did not finish within 2 s and was stopped with every process it started; "
        "raise --checkov-timeout or TFGEN_CHECKOV_TIMEOUT for a tree this large"
    )
    pids = fake.pids()
    assert len(pids) == 2, "the fake checkov and its child both started"
    wait_for(lambda: all(not processes.alive(pid) for pid in pids), "gone")


def test_init_self_check_uses_the_same_timeout(tmp_path: Path, env: dict[str, str]) -> None:
    fake = FakeCheckov(tmp_path / "fake", json.dumps(PASSED), body=HANG)
    env["TFGEN_CHECKOV_TIMEOUT"] = "2"
    out = tmp_path / "baseline"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "tfgen",
            "init",
            "--non-interactive",
            "--account-id",
            "123456789012",
            "--region",
            "eu-west-1",
            "--name",
            "acme",
            "--out",
            str(out),
            "--no-cache",
            "--checkov",
            str(fake.path),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT_LIMIT,
    )
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip().splitlines() == [
        "tfgen: error: checkov did not finish within 2 s and was stopped with every process it started; "
        "raise --checkov-timeout or TFGEN_CHECKOV_TIMEOUT for a tree this large"
    ]
    pids = fake.pids()
    assert len(pids) == 2, "the fake checkov and its child both started"
    wait_for(lambda: all(not processes.alive(pid) for pid in pids), "gone")
    assert not out.exists() and not [p for p in Path(env["TMPDIR"]).iterdir() if p.name.startswith("tfgen-verify-")]
