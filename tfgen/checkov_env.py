"""Where tfgen's checkov lives, how it is installed, and how it is run offline.

checkov pins bc-python-hcl2, which installs the same top-level `hcl2` package as python-hcl2
8.x; the two cannot share an environment. So checkov gets a virtual environment of its own
(by default inside the environment tfgen is installed in) and tfgen only ever runs it as a
subprocess.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from importlib import resources
from pathlib import Path

from tfgen.errors import CheckovError

CHECKOV_VERSION = "3.3.30"
ENV_VAR = "TFGEN_CHECKOV"
SETUP_HINT = "run `tfgen setup-checkov` (or `python3 dev.py demo` in a tfgen checkout), or pass --checkov PATH / set TFGEN_CHECKOV"

# Measured on 3.3.30: with these, strace shows no DNS lookup and no connect.
OFFLINE_ENV: dict[str, str] = {
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
    "BC_SKIP_MAPPING": "TRUE",
    "CKV_PARSE_ERROR_FAIL": "true",
    "CKV_GITHUB_CONFIG_FETCH_DATA": "false",
    "CKV_GITLAB_CONFIG_FETCH_DATA": "false",
    "PYTHONWARNINGS": "ignore",
}
OFFLINE_FLAGS: tuple[str, ...] = (
    "--skip-download",
    "--download-external-modules",
    "false",
    "-o",
    "json",
    "--compact",
)


def default_env_dir() -> Path:
    """The environment `tfgen setup-checkov` creates: beside tfgen's own interpreter."""
    return Path(sys.prefix) / "tfgen-checkov"


def _env_executable(env_dir: Path) -> Path:
    return env_dir / ("Scripts/checkov.cmd" if os.name == "nt" else "bin/checkov")


def _has_separator(text: str) -> bool:
    return "/" in text or (os.altsep is not None and os.altsep in text) or os.sep in text


def locate(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--checkov PATH`, then $TFGEN_CHECKOV, then the set-up's environment; always an absolute path.

    A value with a slash is a path, from the working directory (`./x` is that file, never an
    `x` on PATH: `Path("./x")` alone prints as `x`, which subprocess looked up on PATH); a bare
    name is looked up on PATH, as a shell would.
    """
    if explicit:
        source, raw = "--checkov", os.fspath(explicit)
    elif os.environ.get(ENV_VAR):
        source, raw = ENV_VAR, os.environ[ENV_VAR]
    else:
        source, raw = "tfgen's checkov environment", str(_env_executable(default_env_dir()))
    if _has_separator(raw):
        path = Path(os.path.abspath(raw))
    else:
        found = shutil.which(raw)
        if found is None:
            raise CheckovError(f"checkov not found: no {raw!r} on PATH ({source}); {SETUP_HINT}")
        path = Path(os.path.abspath(found))
    if path.is_dir():
        path = _env_executable(path)
    if not path.is_file() or not os.access(path, os.X_OK):
        raise CheckovError(f"checkov not found at {path} ({source}); {SETUP_HINT}")
    return path


def offline_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(OFFLINE_ENV)
    return env


def constraints_file() -> Path:
    return Path(str(resources.files("tfgen") / "data" / "checkov-constraints.txt"))


def install(env_dir: Path | None = None, *, quiet: bool = True) -> Path:
    """Create (or refresh) the pinned checkov environment; returns the checkov executable."""
    target = env_dir or default_env_dir()
    executable = _env_executable(target)
    python = interpreter_of(executable)
    if executable.is_file() and installed_version(executable) == CHECKOV_VERSION:
        return executable
    venv.EnvBuilder(with_pip=True, clear=target.exists()).create(target)
    command = [str(python), "-m", "pip", "install", f"checkov=={CHECKOV_VERSION}", "-c", str(constraints_file())]
    if quiet:
        command.append("--quiet")
    result = subprocess.run(command, capture_output=quiet, text=True)
    if result.returncode != 0:
        tail = (result.stderr or "").strip().splitlines()[-1:] if quiet else []
        raise CheckovError(f"installing checkov {CHECKOV_VERSION} into {target} failed: {' '.join(tail)}")
    return executable


def interpreter_of(executable: Path) -> Path:
    """The Python beside a checkov executable in its environment."""
    return executable.parent / ("python.exe" if os.name == "nt" else "python")


def parse_tables_script() -> Path:
    return Path(str(resources.files("tfgen") / "data" / "checkov_parse_tables.py"))


def write_parse_tables(python: Path, *, verify_only: bool = False) -> None:
    """Give checkov's JSONPath parsers their PLY tables (see data/checkov_parse_tables.py).

    Measured on tfgen's baseline: checkov 3.3.30 runs 1.4-1.6x faster with them (bench/run.py),
    with identical findings (tests/test_checkov_parse_tables.py). The step is idempotent. It
    raises CheckovError when the tables cannot be written or do not load (e.g. a read-only
    environment); checkov then still works, only slower, so callers may treat it as a warning.
    """
    command = [str(python), str(parse_tables_script())] + (["--verify"] if verify_only else [])
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, env=offline_environment())
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CheckovError(f"writing checkov's parse tables with {python} failed: {exc}") from exc
    if result.returncode != 0:
        lines = (result.stdout + result.stderr).strip().splitlines()
        raise CheckovError(f"checkov's parse tables with {python}: {lines[-1] if lines else f'exit {result.returncode}'}")


def installed_version(executable: Path) -> str | None:
    try:
        result = subprocess.run(
            [str(executable), "--version"], capture_output=True, text=True, timeout=120,
            env=offline_environment(),
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = result.stdout.strip().splitlines()
    return lines[-1].strip() if result.returncode == 0 and lines else None
