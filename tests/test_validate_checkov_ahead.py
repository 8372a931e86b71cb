"""checkov started ahead: checkov's own script, as pip installs it, starts with the run, imports
checkov while tfgen reads the tree, and scans what tfgen then hands it, exactly as the script
started with those arguments would; a run that needs no checkov, or ends early, stops it.

The stand-in (`FakeCheckov(environment=True)`) is a virtual environment with a `checkov` package
of its own and checkov's script: each run records its command line as its Python got it
(`sys.orig_argv`), `sys.argv`, the arguments it ran with and what it read on stdin.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from support import in_process_cli, processes
from support.fake_checkov import PASSED, FakeCheckov

from tfgen.checkov import env as checkov_env
from tfgen.checkov import run as checkov_run
from tfgen.errors import CheckovError, UsageError
from tfgen.validate import pipeline

CHECKABLE = Path(__file__).parent / "checkov_cases" / "checkable"


def processes_running(path: Path) -> list[int]:
    """Running processes whose command line names `path`."""
    return [pid for pid, _ in processes.running() if os.fsencode(path) in processes.command_line(pid)]


def validate(fake: FakeCheckov, tree: Path, cwd: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return in_process_cli.tfgen("validate", str(tree), "--format", "json", "--checkov", str(fake.path), *flags, cwd=cwd)


def test_checkovs_own_script_in_its_environment_is_started_ahead_and_nothing_else(tmp_path: Path) -> None:
    environment = FakeCheckov(tmp_path / "env", environment=True)
    assert checkov_env.checkov_script_python(environment.path) == environment.path.parent / "python"
    plain = FakeCheckov(tmp_path / "plain")  # its `#!` names a Python that is not beside it
    bin_dir = environment.path.parent
    wrapper = bin_dir / "wrapper"
    wrapper.write_text(f'#!/bin/sh\nexec "{environment.path}" "$@"\n')
    via_env = bin_dir / "via-env"
    via_env.write_text(environment.path.read_text().replace(str(bin_dir / "python"), "/usr/bin/env python"))
    another_program = bin_dir / "another"
    another_program.write_text(f"#!{bin_dir / 'python'}\nimport sys\nsys.exit(0)\n")
    with_flags = bin_dir / "with-flags"
    with_flags.write_bytes(environment.path.read_bytes().replace(b"/python\n", b"/python -s\n", 1))
    more_code = bin_dir / "more-code"
    more_code.write_bytes(environment.path.read_bytes() + b"print('more')\n")
    binary = bin_dir / "binary"
    binary.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(64))
    others = (wrapper, via_env, with_flags, more_code, another_program, binary)
    for path in others:
        path.chmod(0o755)
    for path in (plain.path, *others, bin_dir / "missing"):
        assert checkov_env.checkov_script_python(path) is None, path
        assert checkov_run.ahead(path) is None, path
    link = tmp_path / "link-to-checkov"  # pipx puts a link to the script on PATH
    link.symlink_to(environment.path)
    assert checkov_env.checkov_script_python(link) == environment.path.parent / "python"


def test_a_checkov_started_ahead_runs_its_script_with_the_arguments_given_later(tmp_path: Path) -> None:
    fake = FakeCheckov(tmp_path / "env", json.dumps(PASSED), environment=True)
    run = checkov_run.ahead(fake.path)
    assert run is not None
    scan = tmp_path / "scan"
    argv = checkov_run.command(fake.path, directories=[scan], checks=["CKV_AWS_26"])
    run.begin(argv, [scan])
    output = run.wait()
    assert [r.check_id for r in output.results] == ["CKV_AWS_26"]
    [seen] = fake.runs()
    assert seen["arguments"] == argv[1:]
    assert seen["argv"] == argv, "sys.argv as the script started with these arguments has it"
    driver = [str(fake.path.parent / "python"), "-c", checkov_run.DRIVER, str(fake.path), str(fake.path)]
    assert seen["orig_argv"][:5] == driver and len(seen["orig_argv"]) == 6  # and its arguments file
    assert seen["stdin"] == "", "its standard input is empty, as a checkov started at once has it"
    with pytest.raises(RuntimeError):
        run.begin(argv, [scan])


def test_through_a_link_the_script_sees_what_it_sees_started_through_the_link(tmp_path: Path) -> None:
    """pipx puts a link to checkov's script on PATH: run through it, sys.argv names the link and
    sys.path starts with the real script's directory, under the driver as when the link is run."""
    fake = FakeCheckov(tmp_path / "env", json.dumps(PASSED), environment=True)
    link = tmp_path / "bin" / "checkov"
    link.parent.mkdir()
    link.symlink_to(fake.path)
    scan = tmp_path / "scan"
    argv = checkov_run.command(link, directories=[scan])
    run = checkov_run.launch(argv, None, [scan])
    assert run.started_ahead
    run.wait()
    subprocess.run(argv, check=True, capture_output=True)
    driven, direct = fake.runs()
    assert driven["orig_argv"][1] == "-c" and direct["orig_argv"][1] == str(link)
    for key in ("argv", "path0", "arguments"):
        assert driven[key] == direct[key], key
    assert driven["path0"] == str(fake.path.parent)


def test_thousands_of_arguments_reach_checkov_and_giving_them_never_waits_for_its_import(tmp_path: Path) -> None:
    """More than a pipe holds (a pre-commit hook passes every changed file with -f)."""
    fake = FakeCheckov(tmp_path / "env", json.dumps(PASSED), environment=True)
    main = next((tmp_path / "env" / "env").glob("lib/python*/site-packages/checkov/main.py"))
    main.write_text(  # an import that ends only once the test has looked
        "import os, time\n"
        f"while not os.path.exists({str(tmp_path / 'looked')!r}):\n"
        "    time.sleep(0.01)\n" + main.read_text()
    )
    files = [tmp_path / f"{'f' * 100}-{i}.tf" for i in range(3000)]
    argv = checkov_run.command(fake.path, files=files)
    launched: list[checkov_run.CheckovRun] = []
    giving = threading.Thread(target=lambda: launched.append(checkov_run.launch(argv, None, [tmp_path])))
    giving.start()
    giving.join(60)  # returns while checkov is still importing: a launch that waited for it never does
    (tmp_path / "looked").touch()
    giving.join()
    [run] = launched
    run.wait()
    [seen] = fake.runs()
    assert seen["arguments"] == argv[1:]


def count_aheads(monkeypatch: pytest.MonkeyPatch) -> list[checkov_run.CheckovRun]:
    """Every checkov `checkov_run.ahead` starts from now on."""
    started: list[checkov_run.CheckovRun] = []
    real_ahead = checkov_run.ahead

    def ahead(executable: Path, timeout: float | None = None) -> checkov_run.CheckovRun | None:
        run = real_ahead(executable, timeout)
        started.extend([run] if run is not None else [])
        return run

    monkeypatch.setattr(checkov_run, "ahead", ahead)
    return started


def test_a_refusal_after_checkov_started_ahead_leaves_no_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that stops with an error after checkov was started ahead (here: reading the cache)."""
    fake = FakeCheckov(tmp_path / "env", json.dumps(PASSED), environment=True)
    started = count_aheads(monkeypatch)

    def refuse(*args: object, **kwargs: object) -> None:
        raise UsageError("the cache cannot be read")

    monkeypatch.setattr(pipeline, "read_cache", refuse)
    refused = validate(fake, CHECKABLE, tmp_path, "--no-cache")
    assert refused.returncode == 2, refused.stderr
    assert refused.stderr.strip().splitlines() == ["tfgen: error: the cache cannot be read"]
    assert len(started) == 1, "checkov was started ahead"
    assert fake.runs() == []
    assert processes_running(fake.path) == []


# The report written after the stand-in's own flush, left in its buffer as print() leaves it, and
# an exit handler that marks the interpreter's teardown.
UNFLUSHED = (
    f"sys.stdout.write({json.dumps(json.dumps(PASSED))}.replace('@SCAN@', scan))\n"
    "import atexit\n"
    "atexit.register(lambda: open(os.path.join(here, 'torn-down'), 'w').close())\n"
)


@pytest.mark.parametrize("exit_code", [0, 1])
def test_checkovs_own_script_ends_once_its_report_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exit_code: int
) -> None:
    """Run by its Python with `DRIVER`, checkov's report arrives whole and its exit code kept, and
    the interpreter is not torn down after it; any other executable ends as it does."""
    monkeypatch.delenv("PYTHONUNBUFFERED", raising=False)  # what checkov leaves in its buffer stays there
    for environment in (True, False):
        fake = FakeCheckov(tmp_path / str(environment), body=UNFLUSHED, exit_code=exit_code, environment=environment)
        scan = tmp_path / "scan"
        run = checkov_run.launch(checkov_run.command(fake.path, directories=[scan]), None, [scan])
        assert run.started_ahead is environment
        assert [r.check_id for r in run.wait().results] == ["CKV_AWS_26"]
        assert (fake.directory / "torn-down").exists() is not environment


def test_checkovs_own_script_ends_with_its_worker_processes_as_its_exit_would(tmp_path: Path) -> None:
    """A worker still running when the report is written, a daemon one, and multiprocessing's
    resource tracker (started with a spawned lock, as checkov's secrets runner may): the driver
    ends the daemon, waits for the other, and is not held by the tracker, which ends with it."""
    body = (
        "import multiprocessing\n"
        "multiprocessing.get_context('spawn').Lock()\n"
        "multiprocessing.get_context('fork').Process(target=time.sleep, args=(300,), daemon=True).start()\n"
        "worker = multiprocessing.get_context('fork').Process(target=time.sleep, args=(1,))\n"
        "worker.start()\n"
        "with open(os.path.join(here, 'pids'), 'a') as handle:\n"
        "    handle.write(f'{worker.pid}\\n')\n"
    )
    fake = FakeCheckov(tmp_path / "env", json.dumps(PASSED), body=body, environment=True)
    scan = tmp_path / "scan"
    run = checkov_run.launch(checkov_run.command(fake.path, directories=[scan]), 60, [scan])
    assert [r.check_id for r in run.wait().results] == ["CKV_AWS_26"]  # not "did not finish within 60 s"
    driver, worker = fake.pids()
    assert not Path(f"/proc/{worker}").exists(), "the worker was waited for: no zombie left"
    assert processes_running(fake.path) == []


def test_checkovs_own_script_that_fails_ends_as_the_script_would(tmp_path: Path) -> None:
    fake = FakeCheckov(tmp_path / "env", body="raise RuntimeError('boom')", environment=True)
    scan = tmp_path / "scan"
    run = checkov_run.launch(checkov_run.command(fake.path, directories=[scan]), None, [scan])
    with pytest.raises(CheckovError, match="boom"):
        run.wait()


def test_validate_hands_the_checkov_started_ahead_its_one_scan(tmp_path: Path) -> None:
    ahead = FakeCheckov(tmp_path / "env", json.dumps(PASSED), environment=True)
    at_once = FakeCheckov(tmp_path / "plain", json.dumps(PASSED))
    first = validate(ahead, CHECKABLE, tmp_path, "--no-cache")
    second = validate(at_once, CHECKABLE, tmp_path, "--no-cache")
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    reports = [json.loads(run.stdout) for run in (first, second)]
    for report in reports:
        del report["duration_seconds"]
    assert reports[0] == reports[1]
    [started_ahead] = ahead.runs()
    [started_at_once] = at_once.runs()
    assert started_ahead["orig_argv"][1] == "-c" and started_at_once["orig_argv"][1] == str(at_once.path)
    assert started_ahead["arguments"][1:] == started_at_once["arguments"][1:], "the same but the copy's name"
    assert started_ahead["arguments"][0].startswith("--directory=")
    assert processes_running(ahead.path) == []


def without_duration(report: str) -> dict[str, object]:
    data = dict(json.loads(report))
    del data["duration_seconds"]
    return data


def test_a_run_the_cache_answers_starts_no_checkov_and_a_damaged_entry_starts_it_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeCheckov(tmp_path / "env", json.dumps(PASSED), environment=True)
    started = count_aheads(monkeypatch)
    cache = ("--cache-dir", str(tmp_path / "cache"))
    cold = validate(fake, CHECKABLE, tmp_path, *cache)
    assert cold.returncode == 0, cold.stderr
    assert fake.imports() == 1 and len(started) == 1, "no entry yet: checkov started ahead"
    fake.set(json.dumps(PASSED))
    warm = validate(fake, CHECKABLE, tmp_path, *cache)
    assert warm.returncode == 0, warm.stderr
    assert fake.imports() == 0 and len(started) == 1, "every group has an entry: no checkov started"
    assert without_duration(warm.stdout) == without_duration(cold.stdout)
    # an entry that is there but does not read is recomputed: checkov starts with its batch then
    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_text("damaged")
    damaged = validate(fake, CHECKABLE, tmp_path, *cache)
    assert damaged.returncode == 0, damaged.stderr
    assert len(fake.runs()) == 1 and len(started) == 1
    report = without_duration(damaged.stdout)
    assert "corrupted cache entries" in str(report.pop("warnings"))
    assert report == without_duration(cold.stdout)
    assert processes_running(fake.path) == []


def test_a_run_with_a_file_path_starts_checkov_ahead_with_the_cache_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file given as a PATH is checked by checkov on every run (a hook's run: `validate a.tf`)."""
    main = CHECKABLE / "main.tf"
    report = json.dumps(PASSED).replace("@SCAN@/main.tf", str(main))  # checkov names a -f file as given
    fake = FakeCheckov(tmp_path / "env", report, environment=True)
    started = count_aheads(monkeypatch)
    for attempt in (1, 2):
        run = validate(fake, main, tmp_path, "--cache-dir", str(tmp_path / "cache"))
        assert run.returncode == 0, run.stderr
        assert len(started) == attempt and len(fake.runs()) == 1
        fake.set(report)


def test_a_checkov_started_ahead_is_stopped_unused_and_dies_with_its_owner(tmp_path: Path) -> None:
    """Cancelled, or its owner killed (even by `kill -9`) while it waits for its arguments: it goes."""
    fake = FakeCheckov(tmp_path / "env", json.dumps(PASSED), environment=True)
    run = checkov_run.ahead(fake.path)
    assert run is not None and processes_running(fake.path) != []
    run.cancel()
    assert processes_running(fake.path) == [], "cancelled before its arguments: gone"
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER, str(fake.path)], stdout=subprocess.PIPE, text=True, cwd=tmp_path
    )
    try:
        assert owner.stdout is not None and owner.stdout.readline() == "started\n"
        assert processes_running(fake.path) != []
    finally:
        owner.kill()
        owner.communicate()
    deadline = time.monotonic() + 60
    while processes_running(fake.path):
        assert time.monotonic() < deadline, "the checkov started ahead outlived its owner"
        time.sleep(0.05)
    assert fake.runs() == []


OWNER = """\
import sys, time
from pathlib import Path
from tfgen.checkov.run import ahead as start_ahead
started = start_ahead(Path(sys.argv[1]))
print("started", flush=True)
time.sleep(300)
"""
