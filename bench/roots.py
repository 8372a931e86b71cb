"""What scanning each root of a module-call group apart costs: k roots calling one module.

    .venv/bin/python bench/roots.py                 # k = 3, 16, 64 (about 90 seconds on 2 cores)
    .venv/bin/python bench/roots.py --roots 3 16

For each k, a tree of one 200-line module and k roots of one call each is validated without a
cache (in this process, checkov as its subprocess) three ways: each root apart (every group
split), the group whole (never split), and as tfgen decides (`units.MAX_SPLIT_RATIO`). It prints
the user CPU seconds of this process and its children (checkov) for each, the least of `--repeat`
rounds (on a shared machine, noise only ever adds time), and their ratios to the whole scan.
Nothing here asserts a time: it reports. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tfgen.validate import ValidateOptions, pipeline, units

RESOURCES = (
    'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "${{var.name}}-{i}"\n}}\n\n'
    'resource "aws_s3_bucket_versioning" "b{i}" {{\n  bucket = aws_s3_bucket.b{i}.id\n'
    '  versioning_configuration {{\n    status = "Enabled"\n  }}\n}}\n\n'
    'resource "aws_sqs_queue" "q{i}" {{\n  name                    = "${{var.name}}-{i}"\n'
    "  sqs_managed_sse_enabled = true\n}}\n\n"
    'resource "aws_sns_topic" "t{i}" {{\n  name = "${{var.name}}-{i}"\n}}\n\n'
)


def module_text() -> str:
    """About 200 lines: a variable and 10 rounds of a bucket, its versioning, a queue and a topic."""
    return 'variable "name" {\n  type = string\n}\n\n' + "".join(RESOURCES.format(i=i) for i in range(10))


def write(tree: Path, k: int) -> None:
    (tree / "modules" / "m").mkdir(parents=True)
    (tree / "modules" / "m" / "main.tf").write_text(module_text())
    for i in range(k):
        root = tree / "live" / f"r{i:03}"
        root.mkdir(parents=True)
        (root / "main.tf").write_text(f'module "m" {{\n  source = "../../modules/m"\n  name   = "r{i}"\n}}\n')


@contextmanager
def ratio(value: float) -> Iterator[None]:
    kept = units.MAX_SPLIT_RATIO
    units.MAX_SPLIT_RATIO = value
    try:
        yield
    finally:
        units.MAX_SPLIT_RATIO = kept


def cpu(tree: Path) -> tuple[float, int]:
    """User CPU seconds of one run (this process and its children), and its finding count."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_utime + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    report = pipeline.validate_paths([str(tree)], ValidateOptions())
    after = resource.getrusage(resource.RUSAGE_SELF).ru_utime + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    return after - before, len(report.findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roots", type=int, nargs="+", default=[3, 16, 64])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    print(f"module: {len(module_text().splitlines())} lines; MAX_SPLIT_RATIO = {units.MAX_SPLIT_RATIO}")
    print("k | apart (CPU s, findings) | whole | tfgen's rule | apart/whole | rule/whole")
    started = time.monotonic()
    for k in args.roots:
        with tempfile.TemporaryDirectory() as scratch:
            tree = Path(scratch) / "tree"
            write(tree, k)
            runs: dict[float | None, list[tuple[float, int]]] = {}
            for _ in range(args.repeat):  # the three ways alternated, so a change in load falls on each
                for value in (float("inf"), 0.0, None):
                    with ratio(units.MAX_SPLIT_RATIO if value is None else value):
                        runs.setdefault(value, []).append(cpu(tree))
            apart, whole, rule = (min(runs[v]) for v in (float("inf"), 0.0, None))
        print(
            f"{k} | {apart[0]:.1f} ({apart[1]}) | {whole[0]:.1f} ({whole[1]}) | {rule[0]:.1f} ({rule[1]}) | "
            f"{apart[0] / whole[0]:.2f}x | {rule[0] / whole[0]:.2f}x"
        )
    print(f"({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
