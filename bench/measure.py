"""Run one command and measure its wall time and peak memory, children included.

Peak memory is the largest *sum* of proportional set size (PSS) over the whole process tree,
sampled from /proc every SAMPLE_SECONDS: tfgen runs checkov (and worker processes) beside itself,
so the largest single process (what `/usr/bin/time -f %M` or `ru_maxrss` report) would understate
it, while summing RSS would count the pages forked workers share once per worker (checkov forks
one per framework). `ru_maxrss` from `wait4` is kept too, as a floor that never misses a short
spike of one process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.05
# For runs of a few seconds whose wall time is the measurement (bench/run.py --pr): each sample
# scans /proc and reads every tree process's smaps_rollup, which walks its page tables under its
# memory map's lock. Measured on bench x8's one-file edit (4 runs each, 2 cores): 3.49-3.74 s
# sampled every 50 ms, 3.35-3.50 s every 200 ms, 3.37-3.45 s not sampled at all.
QUIET_SAMPLE_SECONDS = 0.2
_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measurement:
    seconds: float
    returncode: int | None  # None when it was stopped at the timeout
    peak_mb: float  # largest sampled sum of PSS over the tree
    max_single_mb: float  # ru_maxrss; an upper bound only (see `run`)
    timed_out: bool = False
    cpu_seconds: float = 0.0  # user + system time of the process and every child it waited for

    @property
    def ok(self) -> bool:
        return not self.timed_out


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: split after the last ')'
        fields = stat[stat.rfind(b")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def _pss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    try:  # kernels without smaps_rollup: resident size
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_pss(root: int) -> int:
    children = _children_map()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += _pss_bytes(pid)
        stack.extend(children.get(pid, ()))
    return total


def run(
    argv: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stdout: Path | None = None,
    timeout: float = 900.0,
    sample_seconds: float = SAMPLE_SECONDS,
) -> Measurement:
    """Run `argv` to completion (or `timeout`), stdout to a file (or /dev/null), stderr discarded;
    its memory sampled every `sample_seconds`."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL
    err_path = stdout.with_suffix(stdout.suffix + ".err") if stdout else None
    err = open(err_path, "wb") if err_path else subprocess.DEVNULL
    peak = 0
    done = threading.Event()
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True
    )

    def sample() -> None:
        nonlocal peak
        while not done.wait(sample_seconds):
            peak = max(peak, tree_pss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    timed_out = False
    deadline = started + timeout
    status = rusage = None
    while True:
        pid, status, rusage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            timed_out = True
            os.killpg(process.pid, signal.SIGKILL)  # its own session: only what it started
            _, status, rusage = os.wait4(process.pid, 0)
            break
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    for handle in (out, err):
        if handle is not subprocess.DEVNULL:
            handle.close()  # type: ignore[union-attr]
    # Not part of peak_mb: Linux carries the high-water RSS of the memory a child had before exec
    # (this benchmark's own ~200 MB, through fork or vfork) into its ru_maxrss, which made a
    # 30 MB `python -c "import ..."` report 198 MB.
    single = rusage.ru_maxrss / 1024 if rusage else 0.0  # KiB on Linux
    return Measurement(
        seconds=seconds,
        returncode=None if timed_out else process.returncode,
        peak_mb=peak / (1024 * 1024),
        max_single_mb=single,
        timed_out=timed_out,
        cpu_seconds=(rusage.ru_utime + rusage.ru_stime) if rusage else 0.0,
    )
