"""tfgen's verdicts on real-world Terraform, beside checkov alone (docs/accuracy.md).

    .venv/bin/python bench/accuracy.py --mirror MIRRORS/OWNER+NAME/repo ...          # a bare git dir: HEAD, extracted
    .venv/bin/python bench/accuracy.py --repo NAME COMMIT DIR ...                   # a tree already on disk
    .venv/bin/python bench/accuracy.py ... --judged docs/accuracy.md                 # ... and score the verdicts
    .venv/bin/python bench/accuracy.py ... --tfgen-only                             # tfgen's rules alone, no checkov

For each tree: `tfgen validate --format json TREE` (empty cache) and checkov alone (`checkov -d
TREE` with tfgen's checkov, offline environment, flags and frameworks, as bench/run.py runs it).
It prints one markdown table row per tree and writes every failure of tfgen's own rules (id, file,
line, resource, message) to OUT/failures.json and OUT/failures.md, to be judged by hand.

A checkov failure in checkov alone's report that tfgen's report lacks is a dropped finding unless
tfgen reports it as skipped by a documented correction (a reason starting `tfgen:`) or the file
is one tfgen refuses to hand checkov (a failed TFGEN_READ); the `dropped` column must be 0.

With `--judged FILE`, the judged list in FILE (rows `| repo | ID | file:line | true/false | why |`)
is matched to this run's failures: precision per rule and overall, and the failures not judged.
Never part of the test suite; third-party trees stay under /tmp, never in this repository.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from run import checkov_alone_argv, child_env, tfgen_exe  # noqa: E402

from tfgen.checkov import env as checkov_env  # noqa: E402
from tfgen.checkov import run as checkov_run  # noqa: E402

CORRECTION_PREFIX = "tfgen:"
TIMEOUT = 1800.0
# `| repo | TFGEN_X_1 | path/file.tf:12 | true | why |` in the judged list of docs/accuracy.md
JUDGED_ROW = re.compile(
    r"^\|\s*([^|]+?)\s*\|\s*`?(TFGEN_[A-Z0-9_]+)`?\s*\|\s*`?([^|`]+):(\d+)`?\s*\|\s*\**(true|false)\**\s*\|"
)

Key = tuple[str, str, str]  # check id, file relative to the tree, resource


@dataclass
class Failure:
    repo: str
    id: str
    file: str
    line: int
    resource: str | None
    message: str | None


@dataclass
class Row:
    repo: str
    commit: str
    files: int = 0
    tfgen_rules: int = 0
    tfgen_checkov: int = 0
    checkov_alone: int = 0
    not_evaluated: int = 0
    exit_code: int | None = None
    crash: bool = False
    crash_why: str = ""
    dropped: list[str] = field(default_factory=list)
    corrected: int = 0  # checkov failures tfgen reports as skipped by a documented correction
    unreadable: int = 0  # checkov failures in files tfgen refuses to hand checkov (TFGEN_READ)
    renamed: int = 0  # a block's failure tfgen reports under other module instances' addresses
    failures: list[Failure] = field(default_factory=list)


def _norm(path: str) -> str:
    return path.replace("\\", "/").lstrip("/")


_DATA = re.compile(r"(^|\.)data\.")


def _address(resource: str | None) -> str:
    """tfgen names a data source `data.x.y` (its Terraform address); checkov's terraform runner `x.y`."""
    return _DATA.sub(r"\1", resource or "")


def run_tfgen(tree: Path, out: Path, cache: Path, reuse: bool, tfgen_only: bool) -> tuple[int, dict | None, str]:
    status = out.with_suffix(".status.json")  # exit code and stderr, for --reuse
    if reuse and out.is_file() and status.is_file():
        code, stderr = json.loads(status.read_text(encoding="utf-8"))
        stdout = out.read_bytes()
    else:
        env = child_env(offline=True, cache_home=cache)
        proc = subprocess.run(
            [
                tfgen_exe(),
                "validate",
                "--format",
                "json",
                "--checkov-timeout",
                str(TIMEOUT),
                *(["--skip-checkov"] if tfgen_only else []),
                str(tree),
            ],
            env=env,
            cwd=tree.parent,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT + 120,
        )
        code, stdout, stderr = proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace")
        out.write_bytes(stdout)
        status.write_text(json.dumps([code, stderr]), encoding="utf-8")
    try:
        report = json.loads(stdout)
    except ValueError:
        report = None
    return code, report, stderr


def run_checkov_alone(tree: Path, out: Path, reuse: bool) -> list[checkov_run.CheckovResult]:
    if not (reuse and out.is_file()):
        checkov = checkov_env.locate()
        proc = subprocess.run(
            checkov_alone_argv(checkov, tree),
            env=child_env(offline=True),
            cwd=tree.parent,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT,
        )
        out.write_bytes(proc.stdout)
    return checkov_run.parse_output(out.read_text(encoding="utf-8", errors="replace"), [tree]).results


def measure(repo: str, commit: str, tree: Path, out: Path, reuse: bool = False, tfgen_only: bool = False) -> Row:
    row = Row(repo, commit)
    name = repo.replace("/", "+") + ("-rules" if tfgen_only else "")
    with tempfile.TemporaryDirectory(prefix="tfgen-accuracy-cache-") as cache:
        code, report, stderr = run_tfgen(tree, out / f"{name}-tfgen.json", Path(cache), reuse, tfgen_only)
    row.exit_code = code
    internal = [f for f in (report or {}).get("findings", []) if f["id"] == "TFGEN_INTERNAL"]
    if code not in (0, 1) or report is None or "Traceback" in stderr or internal:
        row.crash = True
        row.crash_why = (
            (stderr.strip().splitlines() or ["no output"])[-1][:200] if not internal else internal[0].get("message", "")
        )
    findings = (report or {}).get("findings", [])
    row.files = (report or {}).get("summary", {}).get("files", 0)
    for f in findings:
        if f["status"] == "failed" and f["engine"] == "tfgen":  # TFGEN_SYNTAX and TFGEN_READ are verdicts too
            row.failures.append(Failure(repo, f["id"], f["file"], f["line"], f.get("resource"), f.get("message")))
        elif f["status"] == "failed" and f["engine"] == "checkov":
            row.tfgen_checkov += 1
        elif f["status"] == "skipped" and "not evaluated" in (f.get("skip_reason") or ""):
            row.not_evaluated += 1
    row.tfgen_rules = len(row.failures)
    if not tfgen_only:  # precision of tfgen's rules alone: their verdicts do not depend on checkov
        compare_checkov(row, findings, tree, out / f"{name}-checkov.json", reuse)
    return row


def compare_checkov(row: Row, findings: list[dict], tree: Path, out: Path, reuse: bool) -> None:
    """Counts checkov alone's failures that tfgen's report keeps, corrects, or drops."""
    alone = [r for r in run_checkov_alone(tree, out, reuse) if r.status == "failed"]
    row.checkov_alone = len(alone)
    in_tfgen: dict[Key, str] = {}
    for f in findings:
        if f["engine"] == "checkov":
            key = (f["id"], _norm(f["file"]), _address(f.get("resource")))
            # a failed copy of a finding wins over a corrected one
            if in_tfgen.get(key) != "failed":
                in_tfgen[key] = "failed" if f["status"] == "failed" else (f.get("skip_reason") or "")
    unreadable = {_norm(f["file"]) for f in findings if f["id"] == "TFGEN_READ" and f["status"] == "failed"}
    failed_blocks = {
        (f["id"], _norm(f["file"]), f["line"]) for f in findings if f["engine"] == "checkov" and f["status"] == "failed"
    }
    missing: list[checkov_run.CheckovResult] = []
    for r in alone:
        key = (r.check_id, _norm(r.file_path), _address(r.resource))
        state = in_tfgen.get(key)
        if state == "failed":
            continue  # kept
        if state is not None and state.startswith(CORRECTION_PREFIX):
            row.corrected += 1
        elif key[1] in unreadable:
            row.unreadable += 1
        else:
            missing.append(r)
    for r in missing:
        # checkov names a block in a called module by one module instance's address, and which
        # instances it reports varies from run to run (checkov alone failed CKV_AWS_304 on the same
        # line of terraform-aws-rds under 10, then 11 instances, on the same tree): a block tfgen
        # also fails, under other instances, is not dropped; a block tfgen never fails is
        where = (r.check_id, _norm(r.file_path), r.line)
        if where in failed_blocks:
            row.renamed += 1
        else:
            state = in_tfgen.get((r.check_id, where[1], _address(r.resource)))
            row.dropped.append(
                f"{r.check_id} {where[1]}:{r.line} {r.resource} ({'tfgen: ' + state if state else 'absent'})"
            )


def extract_mirror(git_dir: Path, into: Path) -> tuple[str, str, Path]:
    """HEAD of a bare mirror (a bare clone at MIRRORS/OWNER+NAME/repo) extracted into `into`/NAME."""
    commit = subprocess.run(
        ["git", "-C", str(git_dir), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    mirror = git_dir.parent.name if git_dir.name == "repo" else git_dir.name  # OWNER+NAME
    name = mirror.replace("+", "/", 1)
    tree = into / mirror
    if not tree.is_dir():
        tree.mkdir(parents=True)
        # a mirror may list its largest files without holding them: leave those out (and say so)
        listing = subprocess.run(
            ["git", "-C", str(git_dir), "ls-tree", "-r", "-z", "HEAD"], check=True, capture_output=True
        ).stdout.split(b"\0")
        blobs = [(entry.split()[2], entry.split(b"\t", 1)[1]) for entry in listing if b" blob " in entry]
        check = subprocess.run(
            ["git", "-C", str(git_dir), "cat-file", "--batch-check"],
            check=True,
            capture_output=True,
            input=b"".join(sha + b"\n" for sha, _ in blobs),
        ).stdout.splitlines()
        absent = [
            path.decode("utf-8", "replace")
            for (_, path), line in zip(blobs, check, strict=True)
            if line.endswith(b" missing")
        ]
        for path in absent:
            print(f"[accuracy] {name}: {path} is not in the mirror; left out", file=sys.stderr)
        archive = subprocess.Popen(
            [
                "git",
                "-C",
                str(git_dir),
                "archive",
                "HEAD",
                "--",
                ".",
                *[f":(exclude,literal){path}" for path in absent],
            ],
            stdout=subprocess.PIPE,
        )
        subprocess.run(["tar", "-x", "-C", str(tree)], stdin=archive.stdout, check=True)
        if archive.wait() != 0:
            raise SystemExit(f"git archive failed in {git_dir}")
    return name, commit, tree


def score(rows: list[Row], judged_file: Path) -> list[str]:
    verdicts: dict[tuple[str, str, str, int], bool] = {}
    for line in judged_file.read_text(encoding="utf-8").splitlines():
        m = JUDGED_ROW.match(line)
        if m:
            verdicts[(m.group(1), m.group(2), m.group(3), int(m.group(4)))] = m.group(5) == "true"
    per_rule: dict[str, Counter[bool]] = {}
    unjudged: list[Failure] = []
    for row in rows:
        for f in row.failures:
            verdict = verdicts.get((f.repo, f.id, f.file, f.line))
            if verdict is None:
                unjudged.append(f)
                continue
            per_rule.setdefault(f.id, Counter())[verdict] += 1
    lines = ["", "| rule | failures | true | false | precision |", "|---|---:|---:|---:|---:|"]
    total: Counter[bool] = Counter()
    for rule in sorted(per_rule):
        c = per_rule[rule]
        total += c
        lines.append(
            f"| `{rule}` | {c[True] + c[False]} | {c[True]} | {c[False]} | "
            f"{100 * c[True] / (c[True] + c[False]):.0f}% |"
        )
    n = total[True] + total[False]
    lines.append(
        f"| all | {n} | {total[True]} | {total[False]} | {100 * total[True] / n:.1f}% |" if n else "| all | 0 | | | |"
    )
    for f in unjudged:
        lines.append(f"NOT JUDGED: {f.repo} {f.id} {f.file}:{f.line} {f.resource} {f.message}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", nargs=3, action="append", default=[], metavar=("NAME", "COMMIT", "DIR"))
    parser.add_argument("--mirror", action="append", default=[], type=Path, metavar="GIT_DIR")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "tfgen-accuracy")
    parser.add_argument("--reuse", action="store_true", help="read the reports an earlier run left in --out")
    parser.add_argument("--judged", type=Path, help="docs/accuracy.md: score its judged list against this run")
    parser.add_argument(
        "--tfgen-only", action="store_true", help="tfgen's rules alone (--skip-checkov); no checkov, nothing dropped"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    trees = [(name, commit, Path(d).resolve()) for name, commit, d in args.repo]
    trees += [extract_mirror(g, args.out / "trees") for g in args.mirror]
    if not trees:
        parser.error("give at least one --repo or --mirror")
    rows: list[Row] = []
    for name, commit, tree in trees:
        print(f"[accuracy] {name}", file=sys.stderr, flush=True)
        rows.append(measure(name, commit, tree, args.out, args.reuse, args.tfgen_only))
    header = (
        "| repository | commit | files | failed: tfgen rules | failed: checkov via tfgen | failed: checkov alone | "
        "checkov corrected (documented) | not evaluated | exit | crash | checkov dropped |"
    )
    print(header)
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for r in rows:
        print(
            f"| {r.repo} | `{r.commit[:12]}` | {r.files} | {r.tfgen_rules} | {r.tfgen_checkov} | {r.checkov_alone} | "
            f"{r.corrected} | {r.not_evaluated} | {r.exit_code} | {'yes: ' + r.crash_why if r.crash else 'no'} | "
            f"{len(r.dropped)} |"
        )
    for r in rows:
        for d in r.dropped:
            print(f"DROPPED: {r.repo} {d}")
        if r.unreadable:
            print(f"note: {r.repo}: {r.unreadable} checkov failures in files tfgen refuses (TFGEN_READ)")
        if r.renamed:
            print(
                f"note: {r.repo}: {r.renamed} checkov failures of checkov alone named by other module instances "
                "in tfgen's report, which fails the same check on the same block (file and line)"
            )
    failures = [f for r in rows for f in r.failures]
    (args.out / "failures.json").write_text(json.dumps([asdict(f) for f in failures], indent=1), encoding="utf-8")
    with open(args.out / "failures.md", "w", encoding="utf-8") as handle:
        for f in failures:
            handle.write(f"| {f.repo} | {f.id} | {f.file}:{f.line} | ? | {f.resource}: {f.message} |\n")
    print(f"[accuracy] {len(failures)} failures of tfgen's rules in {args.out / 'failures.md'}", file=sys.stderr)
    if args.judged:
        print("\n".join(score(rows, args.judged)))
    return 1 if any(r.crash or r.dropped for r in rows) else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    sys.exit(main())
