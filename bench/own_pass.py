"""tfgen's own pass (no checkov) on a synthetic tree: CPU seconds of checkouts compared, alternated.

    git worktree add --detach ../before 7316d10
    .venv/bin/python bench/own_pass.py before=../before now=. --rounds 5 --scale 8

Each NAME=DIR runs `python -m tfgen validate --skip-checkov --no-cache --format json TREE` with DIR's
tfgen first on PYTHONPATH (this environment's python-hcl2, Jinja2 and typer: compare checkouts that
pin the same ones), on bench/synth.py's tree at `--scale`. The CPU of a run is user + system of the
process and everything it waited for (its parse workers), from `resource.getrusage(RUSAGE_CHILDREN)`,
as `/usr/bin/time` reads it. The checkouts alternate, round after round, so a change in the
machine's load falls on all of them; each one's median is printed with its ratio to the first, and
the load average before and after, and which checkouts wrote the same report (bar its duration):
a speed-up that alters a verdict is no speed-up. Nothing here asserts a time: it reports.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from synth import build  # bench/ is on sys.path when this script runs


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(code: Path, tree: Path) -> tuple[float, str]:
    """CPU seconds of one `tfgen validate` run of the checkout at `code`, and its report without the duration."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    before = _cpu_of_children()
    done = subprocess.run(
        [sys.executable, "-m", "tfgen", "validate", "--skip-checkov", "--no-cache", "--format", "json", str(tree)],
        cwd=tempfile.gettempdir(),  # never the checkout a relative import would find first
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    cpu = _cpu_of_children() - before
    if done.returncode not in (0, 1):
        raise SystemExit(f"{code}: tfgen exited {done.returncode}: {done.stderr.strip()[-400:]}")
    report = json.loads(done.stdout)
    report.pop("duration_seconds", None)
    return cpu, json.dumps(report, sort_keys=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="+", metavar="NAME=DIR")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--scale", type=int, default=8)
    args = parser.parse_args()
    checkouts = [(spec.split("=", 1)[0], Path(spec.split("=", 1)[1]).resolve()) for spec in args.checkouts]
    with tempfile.TemporaryDirectory(prefix="tfgen-own-pass-") as work:
        tree = Path(work) / "tree"
        stats = build(tree, args.scale)
        print(f"synthetic x{args.scale}: {stats.files} files, {stats.lines} lines")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        cpu: dict[str, list[float]] = {name: [] for name, _ in checkouts}
        reports: dict[str, set[str]] = {name: set() for name, _ in checkouts}
        for round_ in range(1, args.rounds + 1):
            for name, code in checkouts:
                seconds, report = run_once(code, tree)
                cpu[name].append(seconds)
                reports[name].add(report)
                print(f"round {round_} {name}: {seconds:.2f} s (load {os.getloadavg()[0]:.2f})", flush=True)
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        first = statistics.median(cpu[checkouts[0][0]])
        print(f"\n| checkout | median CPU ({args.rounds} runs) | ÷ {checkouts[0][0]} |\n|---|---:|---:|")
        for name, _ in checkouts:
            median = statistics.median(cpu[name])
            print(f"| {name} | {median:.2f} s | {median / first:.2f} |")
        alike: dict[str, list[str]] = {}
        for name, seen in reports.items():
            if len(seen) > 1:
                print(f"reports: {name}'s runs DIFFER from one another")
            alike.setdefault(min(seen), []).append(name)
        print("reports (bar the duration): " + "; ".join(" = ".join(names) for names in alike.values()))


if __name__ == "__main__":
    main()
