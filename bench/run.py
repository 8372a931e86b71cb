"""tfgen's speed benchmark: `tfgen validate` and `tfgen init` against their honest baselines.

    .venv/bin/python bench/run.py            # measure, print the table (about 7 minutes on 2 cores)
    .venv/bin/python bench/run.py --docs     # ... and refresh the table in docs/performance.md
    .venv/bin/python bench/run.py --pr --sizes 8 --docs   # only the pull-request rows (~1 minute)

One run measures, side by side, on deterministic synthetic trees at three sizes (each twice the
previous; see bench/synth.py) and on the baseline `tfgen init` renders:

  (a) `tfgen validate --format json TREE`: cold (empty cache), warm (unchanged tree), after
      editing one file (warm cache), and `--changed-since HEAD` after that edit (with the cold run's
      cache, as the GitHub Action restores it; and with an empty cache: the
      tree is committed to git before the edit);
  (b) checkov alone: tfgen's checkov, tfgen's offline environment, flags and frameworks;
  (c) `checkov -d TREE` as a user types it (default environment, flags and frameworks);

and `tfgen init` (render only, and with its checkov self-check) beside the import floor
`python -c "import jinja2, hcl2, typer"` (no target: a first init's time is checkov's). Wall time
and peak memory of the whole process tree; ratios against tfgen's speed targets (docs/performance.md). Nothing here
asserts a time: it reports.
Never part of the test suite.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import measure  # noqa: E402
import synth  # noqa: E402
from measure import Measurement, run  # noqa: E402

from tfgen import __version__ as TFGEN_VERSION  # noqa: E402
from tfgen.checkov import env as checkov_env  # noqa: E402
from tfgen.checkov import run as checkov_run  # noqa: E402

DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
PR_START, PR_END = "<!-- bench-pr:start -->", "<!-- bench-pr:end -->"  # `--pr`'s table
INIT_ARGS = ["--non-interactive", "--account-id", "123456789012", "--region", "eu-west-1", "--name", "bench"]

TARGETS = {
    "cold": 1.0,  # tfgen validate cold / checkov alone
    "warm": 0.1,  # warm re-run / cold
    "edit": 0.1,  # one-file edit, warm cache / cold
    "changed": 0.1,  # --changed-since with one changed group, empty cache / cold
    "changed_warm": 0.1,  # the same with the cold run's cache (the Action restores tfgen's cache) / cold
    "doubling": 2.0,  # time at 2x size / time at 1x size
    "memory": 1.5,  # peak memory tfgen / checkov alone
}


@dataclass
class TreeResult:
    name: str
    files: int
    lines: int
    checkov: Measurement
    cold: Measurement
    warm: Measurement | None = None
    edit: Measurement | None = None
    changed: Measurement | None = None  # --changed-since HEAD after the edit, empty cache
    changed_warm: Measurement | None = None  # ... with a copy of the cold run's cache
    changed_files: int = 0  # the files that run checked (the changed group's)
    # the floor under both pull-request runs: checkov's start alone, and checkov alone on the changed group
    checkov_start: Measurement | None = None  # `checkov --version`
    checkov_group: Measurement | None = None  # (b) on a copy of the changed group's files
    user: Measurement | None = None
    user_note: str = ""
    stock: Measurement | None = None  # (b) without the parse tables `tfgen setup-checkov` writes
    checkov_failed: int = 0  # failed checks in checkov alone's report
    tfgen_checkov_failed: int = 0  # failed checkov findings in tfgen's report (after its corrections)
    tfgen_failed: int = 0  # all failed findings in tfgen's report
    notes: list[str] = field(default_factory=list)


def child_env(*, offline: bool, cache_home: Path | None = None) -> dict[str, str]:
    env = checkov_env.offline_environment() if offline else dict(os.environ)
    if not offline:
        for key in checkov_env.OFFLINE_ENV:
            env.pop(key, None)
    # A user's interpreter writes and reuses .pyc files; a sandbox's PYTHONDONTWRITEBYTECODE would
    # make every run recompile tfgen and bias the init/import-floor comparison.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if cache_home is not None:
        env["XDG_CACHE_HOME"] = str(cache_home)
    return env


def tfgen_exe() -> str:
    return str(Path(sys.executable).with_name("tfgen"))


def checkov_alone_argv(checkov: Path, tree: Path) -> list[str]:
    return [str(checkov), "-d", str(tree), "--framework", *checkov_run.FRAMEWORKS, *checkov_env.OFFLINE_FLAGS]


# (b0): checkov's own entry point with bc_jsonpath_ng's table modules made unimportable, so PLY
# rebuilds its tables for every JSONPath as a checkov installed by pip alone does.
STOCK_LAUNCHER = """
import sys
for name in ("bc_jsonpath_ng.parser_jsonpath_parsetab", "bc_jsonpath_ng.ext.parser_jsonpath_parsetab"):
    sys.modules[name] = None
from checkov.main import Checkov
sys.exit(Checkov().run())
"""


def stock_checkov_argv(checkov: Path, tree: Path) -> list[str]:
    return [str(checkov.parent / "python"), "-c", STOCK_LAUNCHER, *checkov_alone_argv(checkov, tree)[1:]]


def count_checkov_failed(report: Path) -> int:
    try:
        output = checkov_run.parse_output(report.read_text(encoding="utf-8"), [])
    except Exception:
        return -1
    return sum(1 for r in output.results if r.status == "failed")


def count_tfgen_failed(report: Path) -> tuple[int, int]:
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return -1, -1
    failed = [f for f in data.get("findings", []) if f.get("status") == "failed"]
    return len(failed), sum(1 for f in failed if f.get("engine") == "checkov")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def describe(m: Measurement) -> str:
    state = "TIMEOUT" if m.timed_out else f"rc={m.returncode}"
    return f"{m.seconds:6.1f} s {m.peak_mb:6.0f} MB ({state})"


def validate_argv(tree: Path) -> list[str]:
    return [tfgen_exe(), "validate", "--format", "json", str(tree)]


def fastest(measurements: list[Measurement]) -> Measurement:
    """The least disturbed of repeated runs (on a shared machine, noise only ever adds time)."""
    return min(measurements, key=lambda m: (m.timed_out, m.seconds))


def bench_tree(
    name: str,
    tree: Path,
    work: Path,
    checkov: Path,
    *,
    incremental: bool,
    user: bool,
    user_timeout: float,
    files: int,
    lines: int,
    repeat: int = 1,
    stock: bool = True,
    checkov_alone: bool = True,
    sample_seconds: float = measure.SAMPLE_SECONDS,
) -> TreeResult:
    out = work / "out"
    out.mkdir(exist_ok=True)
    checkov_runs: list[Measurement] = []
    cold_runs: list[Measurement] = []
    for _attempt in range(repeat):  # interleaved, so a slow patch of the machine hits both
        if checkov_alone:
            log(f"{name}: checkov alone")
            checkov_runs.append(
                run(
                    checkov_alone_argv(checkov, tree),
                    env=child_env(offline=True),
                    cwd=tree.parent,
                    stdout=out / f"{name}-checkov.json",
                )
            )
            log(f"  {describe(checkov_runs[-1])}")
        cache_home = Path(tempfile.mkdtemp(prefix=f"xdg-{name}-", dir=work))
        cold_runs.append(
            _validate(
                f"{name}: tfgen validate, cold (empty cache)",
                tree,
                cache_home,
                out / f"{name}-tfgen-cold.json",
                sample_seconds=sample_seconds,
            )
        )
    cold = fastest(cold_runs)
    result = TreeResult(name, files, lines, checkov=fastest(checkov_runs) if checkov_runs else cold, cold=cold)
    if checkov_runs:
        result.checkov_failed = count_checkov_failed(out / f"{name}-checkov.json")
    result.tfgen_failed, result.tfgen_checkov_failed = count_tfgen_failed(out / f"{name}-tfgen-cold.json")
    if stock:
        log(f"{name}: checkov alone, without the parse tables")
        result.stock = run(
            stock_checkov_argv(checkov, tree),
            env=child_env(offline=True),
            cwd=tree.parent,
            stdout=out / f"{name}-checkov-stock.json",
        )
        log(f"  {describe(result.stock)}")
        if count_checkov_failed(out / f"{name}-checkov-stock.json") != result.checkov_failed:
            result.notes.append("checkov without the parse tables failed a different number of checks")
    if incremental:
        result.warm = _validate(
            f"{name}: tfgen validate, warm (unchanged tree)",
            tree,
            cache_home,
            out / f"{name}-tfgen-warm.json",
            sample_seconds=sample_seconds,
        )
        if count_tfgen_failed(out / f"{name}-tfgen-warm.json") != (result.tfgen_failed, result.tfgen_checkov_failed):
            result.notes.append("warm run's failed findings differ from the cold run's")
    if user:
        log(f"{name}: checkov -d TREE as a user types it")
        result.user, result.user_note = user_checkov(checkov, tree, out / f"{name}-user.txt", user_timeout)
        log(f"  {describe(result.user)} {result.user_note}")
    if incremental:
        committed = _commit(tree)
        edited = synth.edit_one_file(tree) if tree.joinpath("live").is_dir() else _edit_any(tree)
        # Each repeat of the edit starts from the cache the cold run left (a copy: a run writes the
        # edited root's entries), each `--changed-since` once from such a copy (a pull request's job
        # with the cache the GitHub Action restores) and once from an empty cache; the fastest is
        # kept, as for the cold run.
        edits: list[Measurement] = []
        changes: list[Measurement] = []
        warm_changes: list[Measurement] = []
        report = out / f"{name}-tfgen-changed.json"
        since = ("--changed-since", "HEAD")
        for attempt in range(repeat):
            warm_home = Path(tempfile.mkdtemp(prefix=f"xdg-{name}-edit-", dir=work))
            shutil.copytree(cache_home, warm_home, dirs_exist_ok=True)
            what = f"{name}: tfgen validate after editing {edited.relative_to(tree)} ({attempt + 1}/{repeat})"
            edits.append(
                _validate(what, tree, warm_home, out / f"{name}-tfgen-edit.json", sample_seconds=sample_seconds)
            )
            if not committed:
                continue
            warm_home = Path(tempfile.mkdtemp(prefix=f"xdg-{name}-changed-", dir=work))
            shutil.copytree(cache_home, warm_home, dirs_exist_ok=True)
            what = f"{name}: tfgen validate --changed-since HEAD, the cold run's cache ({attempt + 1}/{repeat})"
            warm_changes.append(
                _validate(
                    what,
                    tree,
                    warm_home,
                    out / f"{name}-tfgen-changed-warm.json",
                    *since,
                    sample_seconds=sample_seconds,
                )
            )
            what = f"{name}: tfgen validate --changed-since HEAD, empty cache ({attempt + 1}/{repeat})"
            empty = Path(tempfile.mkdtemp(prefix=f"xdg-{name}-", dir=work))
            changes.append(_validate(what, tree, empty, report, *since, sample_seconds=sample_seconds))
        result.edit = fastest(edits)
        if committed:
            result.changed = fastest(changes)
            result.changed_warm = fastest(warm_changes)
            warm_report = json.loads((out / f"{name}-tfgen-changed-warm.json").read_text(encoding="utf-8"))
            if _findings(warm_report) != _findings(json.loads(report.read_text(encoding="utf-8"))):
                result.notes.append("--changed-since with the cache and without it reported different findings")
            checked = json.loads(report.read_text(encoding="utf-8"))
            result.changed_files = checked["summary"]["files"]
            log(f"  fastest {describe(result.changed)}; {result.changed_files} files checked")
            result.checkov_start, result.checkov_group = _checkov_floor(
                checkov, tree, checked, work / f"{name}-group", sample_seconds
            )
        else:
            result.notes.append("--changed-since not measured: git is not installed")
    return result


def _findings(report: dict[str, Any]) -> tuple[Any, list[str]]:
    """What a report says, in an order that does not depend on how it was run."""
    return report["summary"], sorted(json.dumps(f, sort_keys=True) for f in report["findings"])


def _validate(
    what: str,
    tree: Path,
    cache_home: Path,
    report: Path,
    *flags: str,
    sample_seconds: float = measure.SAMPLE_SECONDS,
) -> Measurement:
    """`tfgen validate --format json FLAGS TREE` with the cache under `cache_home`, its report to `report`."""
    log(what)
    measured = run(
        [*validate_argv(tree)[:-1], *flags, str(tree)],
        env=child_env(offline=False, cache_home=cache_home),
        cwd=tree.parent,
        stdout=report,
        sample_seconds=sample_seconds,
    )
    log(f"  {describe(measured)}")
    return measured


def _checkov_floor(
    checkov: Path, tree: Path, changed_report: dict[str, object], copy: Path, sample_seconds: float
) -> tuple[Measurement, Measurement]:
    """What no change to tfgen can make a rescan beat: `checkov --version` (checkov's start: its imports), and
    checkov alone, with tfgen's flags and frameworks, on a copy of the directories `--changed-since` checked."""
    log("checkov's start: checkov --version")
    start = run(
        [str(checkov), "--version"], env=child_env(offline=True), cwd=tree.parent, sample_seconds=sample_seconds
    )
    log(f"  {describe(start)}")
    findings = changed_report.get("findings", [])
    files = {f["file"] for f in findings if isinstance(f, dict)} if isinstance(findings, list) else set()
    for directory in {os.path.dirname(f) for f in files}:  # whole directories: checkov reads every file there
        for source in (tree / directory).iterdir():
            if source.is_file():
                target = copy / directory / source.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
    log(f"checkov alone on what --changed-since checked ({len(files)} files with findings)")
    group = run(
        checkov_alone_argv(checkov, copy),
        env=child_env(offline=True),
        cwd=copy.parent,
        stdout=copy.with_suffix(".json"),
        sample_seconds=sample_seconds,
    )
    log(f"  {describe(group)}")
    return start, group


def _commit(tree: Path) -> bool:
    """Commit the tree to a new git repository (untimed), so `--changed-since HEAD` sees the edit only."""
    if shutil.which("git") is None:
        return False
    identity = ["-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"]
    for argv in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "bench tree"]):
        subprocess.run(["git", *identity, *argv], cwd=tree, check=True, capture_output=True)
    return True


def _edit_any(tree: Path) -> Path:
    target = sorted(tree.rglob("*.tf"))[0]
    with open(target, "a", encoding="utf-8") as handle:
        handle.write("\n# edited by the benchmark\n")
    return target


def user_checkov(checkov: Path, tree: Path, stdout: Path, timeout: float) -> tuple[Measurement, str]:
    """`checkov -d TREE` with the user's environment; if it hangs, again offline with default flags."""
    m = run(
        [str(checkov), "-d", str(tree)], env=child_env(offline=False), cwd=tree.parent, stdout=stdout, timeout=timeout
    )
    if not m.timed_out:
        err = stdout.with_suffix(stdout.suffix + ".err")
        network = ""
        if err.is_file() and re.search(
            r"(?i)(connection|resolve|max retries|timed out|proxy)", err.read_text(errors="replace")
        ):
            network = "; network attempts logged on stderr"
        return m, f"default env and flags, all frameworks{network}"
    retry = run(
        [str(checkov), "-d", str(tree)], env=child_env(offline=True), cwd=tree.parent, stdout=stdout, timeout=timeout
    )
    note = (
        f"default env hung (> {timeout:.0f} s, stopped); shown: offline env, default flags (all frameworks, CLI output)"
    )
    return retry, note


@dataclass
class InitResult:
    floor: list[Measurement]
    render: list[Measurement]  # --skip-checkov, each run with an empty cache
    warm: list[Measurement]  # --skip-checkov, re-renders with the parse cache of an earlier run
    full: Measurement | None


def bench_init(work: Path, repeats: int, full: bool) -> InitResult:
    floor = [
        run([sys.executable, "-c", "import jinja2, hcl2, typer"], env=child_env(offline=False)) for _ in range(repeats)
    ]
    log(f"import floor: median {statistics.median(m.seconds for m in floor):.3f} s")

    def init(out: str, cache_home: Path, *extra: str) -> Measurement:
        measured = run(
            [tfgen_exe(), "init", *INIT_ARGS, *extra, "--out", str(work / out)],
            env=child_env(offline=False, cache_home=cache_home),
        )
        if measured.returncode != 0:
            log(f"  tfgen init {' '.join(extra)} failed: rc={measured.returncode}")
        return measured

    def fresh_cache() -> Path:
        return Path(tempfile.mkdtemp(prefix="xdg-init-", dir=work))

    render = [init(f"init-cold-{i}", fresh_cache(), "--skip-checkov") for i in range(repeats)]
    log(f"tfgen init --skip-checkov, empty cache: median {statistics.median(m.seconds for m in render):.3f} s")
    warm_home = fresh_cache()
    init("init-warm-up", warm_home, "--skip-checkov")  # untimed: fills the parse cache
    warm = [init(f"init-warm-{i}", warm_home, "--skip-checkov") for i in range(repeats)]
    log(f"tfgen init --skip-checkov, warm cache: median {statistics.median(m.seconds for m in warm):.3f} s")
    if any(m.returncode != 0 for m in [*render, *warm]):
        log("  (some tfgen init runs failed: their times are not render times)")
    full_m = init("init-full", fresh_cache()) if full else None
    if full_m is not None:
        log(f"tfgen init (with checkov): {describe(full_m)}")
    return InitResult(floor, render, warm, full_m)


ABLATION_CODE = (
    "import json, sys; from tfgen.validate import ValidateOptions, validate_paths; "
    "r = validate_paths([sys.argv[1]], ValidateOptions(**json.loads(sys.argv[2]))); print(len(r.findings))"
)
ABLATIONS: list[tuple[str, dict[str, object]]] = [
    ("everything on, through the API (as the CLI)", {"yield_cpu": True}),
    ("one checkov process (no split into parallel batches)", {"yield_cpu": True, "checkov_jobs": 1}),
    ("no parse pool (parse in tfgen's process)", {"yield_cpu": True, "parse_jobs": 1}),
    ("no yielding the CPU to checkov (nice)", {}),
    ("--skip-checkov, parse pool", {"run_checkov": False}),
    ("--skip-checkov, no parse pool", {"run_checkov": False, "parse_jobs": 1}),
]


def bench_ablation(tree: Path, result: TreeResult) -> list[tuple[str, Measurement]]:
    """tfgen cold (no cache) on the largest tree with one speed-up off at a time, through the API."""
    tree = tree if tree.is_dir() else Path(tree)
    out: list[tuple[str, Measurement]] = []
    for label, options in ABLATIONS:
        log(f"ablation: {label}")
        m = run([sys.executable, "-c", ABLATION_CODE, str(tree), json.dumps(options)], env=child_env(offline=False))
        log(f"  {describe(m)}")
        out.append((label, m))
    return out


def render_ablation(rows: list[tuple[str, Measurement]], trees: list[TreeResult]) -> str:
    largest = max((t for t in trees if t.name.startswith("synthetic")), key=lambda t: t.lines)
    lines = [
        "",
        f"What each speed-up buys, {largest.name} (edited once by the run above), no cache, "
        f"checkov alone {largest.checkov.seconds:.1f} s / {largest.checkov.peak_mb:.0f} MB:",
        "",
        "| tfgen validate, cold | seconds | CPU s | peak MB | ÷ checkov alone |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, m in rows:
        lines.append(
            f"| {label} | {m.seconds:.1f} | {m.cpu_seconds:.1f} | {m.peak_mb:.0f} | "
            f"{fmt_ratio(ratio(m.seconds, largest.checkov.seconds))} |"
        )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------- reporting


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def fmt_ratio(value: float | None, target: float | None = None) -> str:
    if value is None:
        return "-"
    text = f"{value:.2f}×"
    if target is not None and text == f"{target:.2f}×" and value != target:  # a third digit says which side
        text = f"{value:.3f}×"
    if target is not None:
        text += " ✓" if value <= target else " ✗"
    return text


def fmt_m(m: Measurement | None) -> str:
    if m is None:
        return "-"
    if m.timed_out:
        return f"timeout {m.seconds:.0f} s"
    return f"{m.seconds:.1f} s / {m.peak_mb:.0f} MB"


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), Linux {platform.release()}, Python {platform.python_version()}"


def versions(checkov: Path) -> str:
    try:
        import importlib.metadata as md

        hcl2 = md.version("python-hcl2")
    except Exception:
        hcl2 = "?"
    ck = checkov_env.installed_version(checkov) or "?"
    return f"tfgen {TFGEN_VERSION}, checkov {ck}, python-hcl2 {hcl2}"


def render_table(trees: list[TreeResult], init: InitResult | None, meta: dict[str, str], problems: list[str]) -> str:
    lines: list[str] = []
    lines.append(f"Command: `{meta['command']}`  ")
    lines.append(f"Machine: {meta['machine']}; load average {meta['load_before']} before, {meta['load_after']} after  ")
    lines.append(f"Versions: {meta['versions']}; {meta['date']}; whole run {meta['total']}")
    lines.append("")
    repeat = f"fastest of {meta['repeat']} interleaved runs" if meta.get("repeat", "1") != "1" else "one run each"
    lines.append(
        f"Wall time / peak memory of the whole process tree (sum of PSS, sampled every 50 ms; {repeat}). "
        "(a) `tfgen validate --format json TREE` with an empty cache; (b) checkov alone "
        "(tfgen's offline environment, flags and frameworks); (c) `checkov -d TREE` as typed. "
        "(b0) is (b) without the PLY parse tables `tfgen setup-checkov` writes for checkov's JSONPath "
        "parsers, i.e. checkov as pip installs it; (b), (a) and (c) all run with them."
    )
    lines.append("")
    lines.append(
        "| tree | files | lines | (b0) checkov as pip installs it (÷ (b)) | (b) checkov alone | (a) tfgen cold | "
        "cold ÷ (b) ≤1.0 | memory ÷ (b) ≤1.5 | warm (÷ cold ≤0.1) | 1-file edit (÷ cold ≤0.1) | "
        "`--changed-since`, 1 group, empty cache (÷ cold ≤0.1) | (c) `checkov -d` (cold ÷ (c)) |"
    )
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for t in trees:
        warm = (
            "-"
            if t.warm is None
            else f"{t.warm.seconds:.1f} s ({fmt_ratio(ratio(t.warm.seconds, t.cold.seconds), TARGETS['warm'])})"
        )
        edit, changed = _against_cold(t, t.edit, "edit"), _against_cold(t, t.changed, "changed")
        user = fmt_m(t.user)
        if t.user is not None:
            user += f" ({fmt_ratio(ratio(t.cold.seconds, t.user.seconds))})"
        stock = fmt_m(t.stock)
        if t.stock is not None:
            stock += f" ({fmt_ratio(ratio(t.stock.seconds, t.checkov.seconds))})"
        lines.append(
            f"| {t.name} | {t.files} | {t.lines} | {stock} | {fmt_m(t.checkov)} | {fmt_m(t.cold)} | "
            f"{fmt_ratio(ratio(t.cold.seconds, t.checkov.seconds), TARGETS['cold'])} | "
            f"{fmt_ratio(ratio(t.cold.peak_mb, t.checkov.peak_mb), TARGETS['memory'])} | {warm} | {edit} | {changed} | "
            f"{user} |"
        )
    sized = [t for t in trees if t.name.startswith("synthetic")]
    if len(sized) > 1:
        lines.append("")
        lines.append("| doubling | (a) tfgen cold (≤2.0) | (b) checkov alone | (a) warm | (a) 1-file edit |")
        lines.append("|---|---:|---:|---:|---:|")
        for small, big in itertools.pairwise(sized):

            def r(get, big=big, small=small):  # type: ignore[no-untyped-def]
                a, b = get(big), get(small)
                return fmt_ratio(ratio(a.seconds if a else None, b.seconds if b else None))

            lines.append(
                f"| {small.name} → {big.name} | "
                f"{fmt_ratio(ratio(big.cold.seconds, small.cold.seconds), TARGETS['doubling'])} | "
                f"{r(lambda t: t.checkov)} | {r(lambda t: t.warm)} | {r(lambda t: t.edit)} |"
            )
    notes_init: list[str] = []
    if init is not None:
        lines.append("")
        init_lines, notes_init = render_init(init)
        lines.extend(init_lines)
    notes: list[str] = list(problems) + notes_init
    for t in trees:
        notes.append(
            f"{t.name}: CPU seconds (all processes): checkov alone {t.checkov.cpu_seconds:.1f}, "
            f"tfgen cold {t.cold.cpu_seconds:.1f}; failed findings: checkov alone {t.checkov_failed}, "
            f"tfgen {t.tfgen_failed} ({t.tfgen_checkov_failed} from checkov after tfgen's corrections)"
        )
        if t.user is not None and t.user_note:
            notes.append(f"{t.name}: (c) {t.user_note}")
        notes.extend(f"{t.name}: {n}" for n in t.notes)
    if notes:
        lines.append("")
        lines.extend(f"- {n}" for n in notes)
    return "\n".join(lines) + "\n"


def _against_cold(t: TreeResult, m: Measurement | None, target: str | None = None) -> str:
    if m is None:
        return "-"
    return f"{m.seconds:.1f} s ({fmt_ratio(ratio(m.seconds, t.cold.seconds), TARGETS[target] if target else None)})"


def render_pr(trees: list[TreeResult], meta: dict[str, str]) -> str:
    """`--pr`: a pull request's runs against the cold run of the same tree."""
    lines = [
        f"Command: `{meta['command']}`  ",
        f"Machine: {meta['machine']}; load average {meta['load_before']} before, {meta['load_after']} after  ",
        f"Versions: {meta['versions']}; {meta['date']}; whole run {meta['total']}",
        "",
        "Wall time / peak memory of the whole process tree (sum of PSS, sampled every "
        f"{measure.QUIET_SAMPLE_SECONDS * 1000:.0f} ms: sampling more "
        "often slows a run of a few seconds): cold, 1-file edit and `--changed-since` each the fastest of "
        "`--repeat`'s runs, the floors one run each. Cold: `tfgen validate --format json TREE`, empty cache. "
        "1-file edit: the same after appending a resource to one root module's file, each run with a copy of the "
        "cache of the cold run: checkov rescans the edited root and the modules it calls, the other roots of its "
        "module-call group come from the cache. `--changed-since HEAD`: after that edit (the tree was committed "
        "to git before it), only the edited file's module-call group is checked and reported; each run once with "
        "a copy of the cold run's cache (a pull request's job with the cache the GitHub Action restores: as for "
        "the edit, checkov rescans the edited root) and once with an empty cache (the group's every root). The "
        "floor: `checkov --version` (checkov's start, its imports) and checkov alone (tfgen's flags and "
        "frameworks) on a copy of the directories `--changed-since` checked.",
        "",
        "| tree | files | cold | 1-file edit, warm cache (÷ cold ≤0.1) | `--changed-since`, 1 group, the cold run's "
        "cache (÷ cold ≤0.1) | `--changed-since`, 1 group, empty cache (÷ cold ≤0.1) | files `--changed-since` "
        "checks | floor: `checkov --version` (÷ cold) | floor: checkov alone on those files (÷ cold) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for t in trees:
        lines.append(
            f"| {t.name} | {t.files} | {fmt_m(t.cold)} | {_against_cold(t, t.edit, 'edit')} | "
            f"{_against_cold(t, t.changed_warm, 'changed_warm')} | "
            f"{_against_cold(t, t.changed, 'changed')} | {t.changed_files} | {_against_cold(t, t.checkov_start)} | "
            f"{_against_cold(t, t.checkov_group)} |"
        )
    notes = [n for t in trees for n in (f"{t.name}: {x}" for x in t.notes)]
    return "\n".join(lines + ([""] + [f"- {n}" for n in notes] if notes else [])) + "\n"


INIT_TABLE_HEAD = "| `tfgen init` (median of"
PROVENANCE = "`tfgen init` rows measured alone:"


def render_init(init: InitResult) -> tuple[list[str], list[str]]:
    """The `tfgen init` table's lines, and notes on it."""
    lines: list[str] = []
    notes: list[str] = []
    floor = statistics.median(m.seconds for m in init.floor)
    render = statistics.median(m.seconds for m in init.render)
    lines.append(f"{INIT_TABLE_HEAD} {len(init.render)}) | seconds | peak MB | ÷ import floor |")
    lines.append("|---|---:|---:|---:|")
    lines.append(
        f'| import floor `python -c "import jinja2, hcl2, typer"` | {floor:.2f} | '
        f"{max(m.peak_mb for m in init.floor):.0f} | 1.00× |"
    )
    failed = sorted(
        {m.returncode for m in [*init.render, *init.warm, *([init.full] if init.full else [])] if m.returncode != 0},
        key=str,
    )
    if failed:
        notes.append(f"`tfgen init` exited with {failed}: its times below are not those of a successful render")
    warm = statistics.median(m.seconds for m in init.warm)
    lines.append(
        f"| `tfgen init --skip-checkov`, empty cache (render, parse the files that depend on the answers, "
        f"compare, write) | {render:.2f} | "
        f"{max(m.peak_mb for m in init.render):.0f} | {fmt_ratio(ratio(render, floor))} |"
    )
    lines.append(
        "| `tfgen init --skip-checkov`, parse cache of an earlier init (render, read parses back, compare, write) "
        f"| {warm:.2f} | "
        f"{max(m.peak_mb for m in init.warm):.0f} | {fmt_ratio(ratio(warm, floor))} |"
    )
    if init.full is not None:
        lines.append(
            f"| `tfgen init`, empty cache (plus its checkov self-check; one run) | {init.full.seconds:.2f} | "
            f"{init.full.peak_mb:.0f} | {fmt_ratio(ratio(init.full.seconds, floor))} |"
        )
    return lines, notes


def write_doc_init(lines: list[str], meta: dict[str, str]) -> None:
    """Replace only the `tfgen init` table in docs/performance.md's bench block (`--init-only`), saying how it was
    measured."""
    text = DOC.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    block, tail = rest.split(END, 1)
    old = block.splitlines()
    first = next(i for i, line in enumerate(old) if line.startswith(INIT_TABLE_HEAD))
    after = first
    while after < len(old) and old[after].startswith("|"):
        after += 1
    if len(old) > after + 1 and old[after] == "" and old[after + 1].startswith(PROVENANCE):
        after += 2  # the line an earlier --init-only run wrote
    provenance = (
        f"{PROVENANCE} `{meta['command']}`; {meta['date']}; load average {meta['load_before']} before, "
        f"{meta['load_after']} after"
    )
    new = old[:first] + lines + ["", provenance] + old[after:]
    DOC.write_text(
        head + START + "\n".join(new) + ("\n" if block.endswith("\n") else "") + END + tail, encoding="utf-8"
    )


def write_doc(table: str, start: str = START, end: str = END) -> None:
    text = DOC.read_text(encoding="utf-8")
    block = f"{start}\n{table}{end}"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes", default="2,4,8", help="synthetic scales, each normally twice the previous (default 2,4,8)"
    )
    parser.add_argument(
        "--ablation",
        action="store_true",
        help="also measure, on the largest size, tfgen with each speed-up turned off in turn (~3 more minutes)",
    )
    parser.add_argument("--no-user", action="store_true", help="skip (c) `checkov -d TREE` as typed")
    parser.add_argument("--no-baseline", action="store_true", help="skip the tree `tfgen init` renders")
    parser.add_argument("--no-init", action="store_true", help="skip the `tfgen init` timings")
    parser.add_argument(
        "--init-only",
        action="store_true",
        help="only the `tfgen init` timings (with --docs: replace only docs/performance.md's init table; ~1 minute)",
    )
    parser.add_argument("--no-stock", action="store_true", help="skip (b0), checkov without the parse tables")
    parser.add_argument(
        "--pr",
        action="store_true",
        help="only a pull request's runs on the synthetic trees: cold, 1-file edit, --changed-since "
        f"(with --docs: replace only the table between {PR_START} and {PR_END})",
    )
    parser.add_argument("--no-incremental", action="store_true", help="skip the warm and one-file-edit runs")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each short command (init, import floor)")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs of checkov alone and tfgen cold per tree, the fastest kept (default 1; 2 takes ~4 more minutes)",
    )
    parser.add_argument("--user-timeout", type=float, default=300.0, help="seconds before (c) counts as hung")
    parser.add_argument("--workdir", type=Path, help="where to build trees (default: a fresh temporary directory)")
    parser.add_argument(
        "--docs", action="store_true", help=f"write the table into docs/performance.md between {START} and {END}"
    )
    args = parser.parse_args(argv)

    started = time.monotonic()
    load_before = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    checkov = checkov_env.locate()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="tfgen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    log(f"workdir {work}")
    # untimed warm-up: page cache, .pyc files
    subprocess.run([tfgen_exe(), "--version"], env=child_env(offline=False), capture_output=True)
    checkov_env.installed_version(checkov)

    if args.init_only:
        init_result = bench_init(work, args.repeats, full=True)
        command = recorded_command(argv)
        meta = {
            "command": command,
            "date": time.strftime("%Y-%m-%d"),
            "load_before": load_before,
            "load_after": "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg()),
        }
        init_lines, init_notes = render_init(init_result)
        print("\n".join(init_lines + [f"- {n}" for n in init_notes]))
        if args.docs:
            write_doc_init(init_lines, meta)
            log("docs/performance.md init table refreshed")
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
        return 0 if not init_notes else 1

    if args.pr:
        return _main_pr(args, argv, work, checkov, started, load_before)

    trees = _bench_synthetic(args, work, checkov, pr=False)
    problems: list[str] = []
    if not args.no_baseline:
        tree = work / "baseline" / "tree"
        made = subprocess.run(
            [tfgen_exe(), "init", *INIT_ARGS, "--skip-checkov", "--force", "--out", str(tree)],
            env=child_env(offline=False),
            capture_output=True,
            text=True,
        )
        if made.returncode != 0:
            tail = (made.stderr.strip().splitlines() or ["?"])[-1]
            log(f"baseline tree not measured: tfgen init failed (rc={made.returncode}): {tail}")
            problems.append(f"baseline tree not measured: `tfgen init` failed (rc={made.returncode}): {tail}")
        else:
            files = [
                p
                for p in tree.rglob("*")
                if p.is_file() and (p.suffix in (".tf", ".tfvars") or p.name.endswith(".tf.json"))
            ]
            lines = sum(p.read_text(encoding="utf-8").count("\n") for p in files)
            trees.append(
                bench_tree(
                    "baseline (tfgen init)",
                    tree,
                    work,
                    checkov,
                    incremental=not args.no_incremental,
                    user=not args.no_user,
                    user_timeout=args.user_timeout,
                    files=len(files),
                    lines=lines,
                    repeat=args.repeat,
                    stock=not args.no_stock,
                )
            )
    init = None if args.no_init else bench_init(work, args.repeats, full=True)
    ablation: list[tuple[str, Measurement]] = []
    if args.ablation and trees:
        largest = max((t for t in trees if t.name.startswith("synthetic")), key=lambda t: t.lines, default=None)
        if largest is not None:
            ablation = bench_ablation(work / f"synthetic-x{largest.name.split('×')[-1]}" / "tree", largest)

    meta = {**_meta(argv, checkov, started, load_before), "repeat": str(args.repeat)}
    table = render_table(trees, init, meta, problems)
    if ablation:
        table += render_ablation(ablation, trees)
    print(table)
    results_dir = BENCH / "results"
    results_dir.mkdir(exist_ok=True)
    (results_dir / "latest.json").write_text(
        json.dumps(
            {"meta": meta, "trees": [asdict(t) for t in trees], "init": asdict(init) if init else None}, indent=2
        )
    )
    (results_dir / "latest.md").write_text(table)
    if args.docs:
        write_doc(table)
        log("docs/performance.md table refreshed")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)  # ~200 MB of trees and reports; pass --workdir to keep them
    return 0


def _bench_synthetic(args: argparse.Namespace, work: Path, checkov: Path, *, pr: bool) -> list[TreeResult]:
    """The synthetic trees at each of --sizes; `pr`: only what a pull request's run is compared with."""
    trees: list[TreeResult] = []
    for scale in (int(s) for s in args.sizes.split(",") if s.strip()):
        tree = work / f"synthetic-x{scale}" / "tree"
        stats = synth.build(tree, scale)
        log(f"synthetic x{scale}: {stats}")
        trees.append(
            bench_tree(
                f"synthetic ×{scale}",
                tree,
                work,
                checkov,
                incremental=pr or not args.no_incremental,
                user=not (pr or args.no_user),
                user_timeout=args.user_timeout,
                files=stats.files,
                lines=stats.lines,
                repeat=args.repeat,
                stock=not (pr or args.no_stock),
                checkov_alone=not pr,
                sample_seconds=measure.QUIET_SAMPLE_SECONDS if pr else measure.SAMPLE_SECONDS,
            )
        )
    return trees


def recorded_command(argv: list[str] | None) -> str:
    """The command line the docs record: `--workdir` left out (where the trees were built is a path of
    this machine, and it does not change a number)."""
    args = list(argv if argv is not None else sys.argv[1:])
    kept: list[str] = []
    while args:
        arg = args.pop(0)
        if arg == "--workdir":
            args = args[1:]
        elif not arg.startswith("--workdir="):
            kept.append(arg)
    return " ".join([".venv/bin/python bench/run.py", *[shlex.quote(a) for a in kept]])


def _meta(argv: list[str] | None, checkov: Path, started: float, load_before: str) -> dict[str, str]:
    command = recorded_command(argv)
    return {
        "command": command,
        "machine": machine(),
        "versions": versions(checkov),
        "date": time.strftime("%Y-%m-%d"),
        "load_before": load_before,
        "load_after": "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg()),
        "total": f"{(time.monotonic() - started) / 60:.1f} min",
    }


def _main_pr(
    args: argparse.Namespace, argv: list[str] | None, work: Path, checkov: Path, started: float, load_before: str
) -> int:
    trees = _bench_synthetic(args, work, checkov, pr=True)
    table = render_pr(trees, _meta(argv, checkov, started, load_before))
    print(table)
    if args.docs:
        write_doc(table, PR_START, PR_END)
        log("docs/performance.md pull-request table refreshed")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
