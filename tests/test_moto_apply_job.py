"""The moto apply's job (tests/support/moto_apply.py) says at once, with its log, why there is no
applied account: never started, ended without a result, or stopped by an error. The test that
waits on it then fails with that reason instead of waiting out `WAIT_SECONDS`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import moto_apply, processes


def test_a_job_never_started_is_said_at_once(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="was never started"):
        moto_apply.Job(tmp_path).wait(timeout=600)


def test_a_job_whose_python_cannot_start_is_said_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONHOME", str(tmp_path / "no-such-python-home"))  # the child exits before any code
    job = moto_apply.Job(tmp_path)
    job.start()
    try:
        with pytest.raises(RuntimeError, match="ended without a result") as raised:
            job.wait(timeout=30)  # not "has not applied within 30 s": the job's end is seen at once
    finally:
        job.stop()
    assert "--- its log ---" in str(raised.value)
    assert "encodings" in str(raised.value)  # Python's own complaint, from the job's log


def test_a_job_that_ended_without_a_result_is_said_at_once(tmp_path: Path) -> None:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    (tmp_path / "claimed").mkdir()
    (tmp_path / "pid").write_text(json.dumps(ended.pid))
    with pytest.raises(RuntimeError, match="ended without a result"):
        moto_apply.Job(tmp_path).wait(timeout=600)


def test_the_error_that_stopped_a_job_is_its_failure(tmp_path: Path) -> None:
    (tmp_path / "claimed").mkdir()
    error = "Traceback ...\nRuntimeError: moto server exited with 1"
    (tmp_path / "result.json").write_text(json.dumps({"error": error}))
    with pytest.raises(RuntimeError, match="stopped:\nTraceback [.][.][.]\nRuntimeError: moto server exited with 1"):
        moto_apply.Job(tmp_path).wait(timeout=600)


def _live_members(group: int) -> list[int]:
    """The processes of a process group, zombies not counted (an orphan's reaper may be slow to reap)."""
    return [pid for pid, fields in processes.running() if int(fields[2]) == group]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")
def test_a_job_whose_starter_dies_at_once_ends_with_its_process_group(tmp_path: Path) -> None:
    """A session stopped by SIGKILL runs no clean-up: the job notices its starter is gone (even
    while it is still importing its modules) and takes its process group down, itself included."""
    tests = Path(__file__).resolve().parent
    starter = (
        "import sys; from pathlib import Path; from support import moto_apply; "
        "moto_apply.Job(Path(sys.argv[1])).start()"
    )
    env = {**os.environ, "PYTHONPATH": str(tests)}
    subprocess.run([sys.executable, "-c", starter, str(tmp_path)], check=True, env=env, cwd=tests.parent)
    group = json.loads((tmp_path / "pid").read_text())  # the job leads a process group of its own
    deadline = time.monotonic() + 60
    while _live_members(group) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = _live_members(group)
    for pid in left:
        os.kill(pid, 9)
    log = (tmp_path / "job.log").read_text()
    assert not left, f"the job's processes outlived their starter by 60 s:\n{log}"
    assert log == "", "the job crashed rather than ended"  # SIGKILL prints nothing
    assert not (tmp_path / "result.json").exists()  # it ended before applying anything


def test_the_test_is_found_whatever_the_rootdir() -> None:
    assert moto_apply.is_the_test(f"tests/{moto_apply.TEST}")
    assert moto_apply.is_the_test(moto_apply.TEST)
    assert not moto_apply.is_the_test(f"tests/other_{moto_apply.TEST}")
