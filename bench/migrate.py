"""How long `tfgen migrate proton` takes to read, rewrite and prove a bundle, and where the time goes.

    .venv/bin/python bench/migrate.py                 # the bundles under tests/proton_bundles
    .venv/bin/python bench/migrate.py BUNDLE [...]    # any bundle directories (a fetched sample)

In one process, per bundle: the median CPU time of `render_files` (read the schema, rewrite every
`.tf`, parse the result back, write the examples, prove) over `--runs` runs, and the median CPU time
of python-hcl2 parsing the bundle's `.tf` files once (`hcl2.parses`), the floor any HCL-reading
rewriter pays; the ratio of the two says how much of migrate is more than that one parse. The
in-process caches of parsed expressions are cleared before every run, so each run starts cold.
Bundles tfgen refuses (exit 2) are reported as refused. Nothing here asserts a time: it reports.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import hcl2

from tfgen.errors import UsageError
from tfgen.hcl import syntax
from tfgen.migrate.proton.api import render_files
from tfgen.migrate.proton.yamlfile import BundleError

ROOT = Path(__file__).resolve().parent.parent
BUNDLES = ROOT / "tests" / "proton_bundles"


def _cpu(action: Callable[[], object], runs: int) -> float:
    times: list[float] = []
    for _ in range(runs):
        syntax.parse_expression.cache_clear()
        syntax.parse_template.cache_clear()
        started = time.process_time()
        action()
        times.append(time.process_time() - started)
    return statistics.median(times)


def _bundles(given: list[str]) -> list[tuple[Path, Path | None]]:
    """(bundle directory, its proton-inputs.json or None)."""
    if given:
        return [(Path(p), None) for p in given]
    found = []
    for holder in sorted(p for p in BUNDLES.iterdir() if (p / "v1").is_dir()):
        inputs = holder / "proton-inputs.json"
        found.append((holder / "v1", inputs if inputs.is_file() else None))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundles", nargs="*", help="bundle directories (default: tests/proton_bundles/*/v1)")
    parser.add_argument("--runs", type=int, default=20, help="runs per bundle; the median is reported")
    args = parser.parse_args()
    print(f"{'bundle':<28} {'.tf files':>9} {'migrate ms':>11} {'parse ms':>9} {'ratio':>6}")
    total_migrate = total_parse = 0.0
    for bundle, inputs in _bundles(args.bundles):
        name = bundle.parent.name if bundle.name == "v1" else bundle.name
        texts = [p.read_text(encoding="utf-8") for p in sorted(bundle.rglob("*.tf"))]
        try:
            render_files(bundle, inputs)
        except (BundleError, UsageError) as exc:
            print(f"{name:<28} {len(texts):>9} refused: {str(exc).splitlines()[0][:60]}")
            continue
        migrate = _cpu(lambda b=bundle, i=inputs: render_files(b, i), args.runs)
        parse = _cpu(lambda t=texts: [hcl2.parses(x) for x in t], args.runs)
        total_migrate += migrate
        total_parse += parse
        print(f"{name:<28} {len(texts):>9} {migrate * 1000:>11.1f} {parse * 1000:>9.1f} {migrate / parse:>6.2f}")
    if total_parse:
        print(
            f"{'all':<28} {'':>9} {total_migrate * 1000:>11.1f} {total_parse * 1000:>9.1f} "
            f"{total_migrate / total_parse:>6.2f}"
        )


if __name__ == "__main__":
    main()
