#!/usr/bin/env python3
"""Set up tfgen from a fresh clone and run its main job or its tests.

    python3 dev.py demo   # set up, render a baseline into build/demo, validate it
    python3 dev.py test   # set up, run the whole test suite

Set-up is idempotent: `.venv` holds tfgen with its test dependencies, and
`.venv/tfgen-checkov` holds the pinned checkov (it cannot share an environment with
python-hcl2). A stamp of the dependency files skips re-installing when nothing changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".tfgen-setup-stamp"
DEMO_OUT = ROOT / "build" / "demo"


def run(*command: str | os.PathLike[str], **kwargs: object) -> None:
    print("+", " ".join(str(c) for c in command), flush=True)
    subprocess.run([str(c) for c in command], check=True, **kwargs)  # type: ignore[call-overload]


def step(what: str, *command: str | os.PathLike[str], show: bool = False) -> None:
    """One set-up step as one line; its output only when it fails (or `show`).

    pip and setuptools print ~400 lines of build-backend warnings on a fresh clone: noise a
    newcomer cannot act on, which buries the line that matters when something does fail.
    """
    print(f"tfgen set-up: {what} ...", flush=True)
    result = subprocess.run([str(c) for c in command], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = result.stdout.splitlines()
    if result.returncode != 0:
        print("\n".join(lines[-40:]), file=sys.stderr)
        print(f"tfgen set-up: failed: {' '.join(str(c) for c in command)} (exit {result.returncode})", file=sys.stderr)
        raise SystemExit(result.returncode)
    if show:
        for line in lines:
            if line.strip() and "warning" not in line.lower():
                print(f"  {line}")


def setup() -> None:
    inputs = [
        ROOT / "pyproject.toml",
        ROOT / "tfgen" / "checkov" / "data" / "checkov-constraints.txt",
        ROOT / "tfgen" / "checkov" / "data" / "checkov_parse_tables.py",
        ROOT / "tfgen" / "checkov" / "env.py",
    ]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in inputs)).hexdigest()
    if STAMP.is_file() and STAMP.read_text() == digest and PYTHON.exists():
        return
    if not PYTHON.exists():
        print(f"tfgen set-up: creating {VENV.relative_to(ROOT)} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    step("upgrading pip", PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    step(
        "installing tfgen and its test tools (python-hcl2, Jinja2, typer, pytest, moto, ...)",
        PYTHON,
        "-m",
        "pip",
        "install",
        "--quiet",
        "-e",
        f"{ROOT}[test]",
    )
    step(
        "installing the pinned checkov into .venv/tfgen-checkov (about a minute the first time)",
        BIN / "tfgen",
        "setup-checkov",
        show=True,
    )
    STAMP.write_text(digest)
    print("tfgen set-up: done", flush=True)


def demo() -> int:
    run(
        BIN / "tfgen",
        "init",
        "--non-interactive",
        "--force",
        "--account-id",
        "123456789012",
        "--region",
        "eu-west-1",
        "--name",
        "demo",
        "--out",
        DEMO_OUT,
    )
    return subprocess.run([str(BIN / "tfgen"), "validate", str(DEMO_OUT)]).returncode


def test(extra: list[str]) -> int:
    lint = subprocess.run([str(BIN / "ruff"), "check", "."], cwd=ROOT)
    if lint.returncode != 0:
        return lint.returncode
    # `ruff format` decides layout: a file it would change fails the run (`ruff format .` mends it).
    fmt = subprocess.run([str(BIN / "ruff"), "format", "--check", "."], cwd=ROOT)
    if fmt.returncode != 0:
        return fmt.returncode
    # Types (pyproject.toml [tool.mypy]): every function in tfgen/ typed, every ignore with its error code.
    types = subprocess.run([str(BIN / "mypy")], cwd=ROOT)
    if types.returncode != 0:
        return types.returncode
    # The package layers (pyproject.toml [tool.importlinter]): init and validate never import each other.
    layers = subprocess.run([str(BIN / "lint-imports")], cwd=ROOT)
    if layers.returncode != 0:
        return layers.returncode
    workers = os.environ.get("TFGEN_TEST_WORKERS", "auto")
    pytest = [str(PYTHON), "-m", "pytest"]
    # Python's bytecode cache on, whatever the caller's environment says (PYTHONDONTWRITEBYTECODE):
    # the suite starts some hundred Python processes that import tfgen, and without the cache each
    # compiles tfgen from source again, as each worker rewrites every test module's asserts.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    # loadgroup hands out tests one at a time in collection order, and tests/conftest.py collects
    # the slowest first: the live Proton plans start at once, spread over both workers, instead of
    # queued in one worker's first batch as `load` would send them (the moto apply runs beside the
    # workers from the start: tests/support/moto_apply.py).
    return subprocess.run([*pytest, "-n", workers, "--dist", "loadgroup", *extra], cwd=ROOT, env=env).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "setup"}:
        print(__doc__)
        return 2
    setup()
    if argv[0] == "demo":
        return demo()
    if argv[0] == "test":
        return test(argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
