"""Where tfgen's checkov lives, how it is installed, and how it is run offline.

checkov pins bc-python-hcl2, which installs the same top-level `hcl2` package as python-hcl2
8.x; the two cannot share an environment. So checkov gets a virtual environment of its own
(by default inside the environment tfgen is installed in) and tfgen only ever runs it as a
subprocess.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import venv
from collections import deque
from importlib import resources
from pathlib import Path
from typing import Protocol

from tfgen.errors import CheckovError

CHECKOV_VERSION = "3.3.30"
ENV_VAR = "TFGEN_CHECKOV"
SETUP_HINT = (
    "run `tfgen setup-checkov` (or `python3 dev.py demo` in a tfgen checkout), or pass --checkov PATH / "
    "set TFGEN_CHECKOV"
)

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


# Written into a cache environment once it is complete (checkov and its parse tables): an install
# that was interrupted half-way is never taken for one that works.
COMPLETE_MARK = "tfgen-complete"


def cache_env_dir() -> Path:
    """The environment `validate --setup-checkov` creates on first use: in the user's cache, by version.

    `$XDG_CACHE_HOME/tfgen-checkov/3.3.30` (else `~/.cache/...`): every tfgen of this checkov
    version shares it, so a pre-commit hook (a new environment for each revision pinned) or a CI
    job that restores the directory sets checkov up once. Beside tfgen's parse cache, not inside
    it, so the two are cached (and pruned) apart.
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tfgen-checkov" / CHECKOV_VERSION


def _cache_env_ready() -> Path | None:
    env_dir = cache_env_dir()
    executable = _env_executable(env_dir)
    return executable if (env_dir / COMPLETE_MARK).is_file() and executable.is_file() else None


def _env_executable(env_dir: Path) -> Path:
    return env_dir / ("Scripts/checkov.cmd" if os.name == "nt" else "bin/checkov")


def shebang_interpreter(script: Path) -> Path | None:
    """The interpreter a script's `#!` line names, or None (`interpreter_of` is the python beside an executable)."""
    try:
        with open(script, "rb") as handle:
            first = handle.readline(512)
    except OSError:
        return None
    if not first.startswith(b"#!"):
        return None
    words = first[2:].decode("utf-8", "replace").split()
    return Path(words[0]) if words else None


# checkov's own `bin/checkov` after its `#!` line, byte for byte (3.3.30 installs it as a script,
# pip rewriting only that line to name the environment's Python): what `checkov_run.DRIVER` runs.
CHECKOV_SCRIPT_BODY = b"""from checkov.main import Checkov
import warnings
import sys

if __name__ == '__main__':
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=SyntaxWarning)
        sys.exit(Checkov().run())
"""


def checkov_script_python(executable: Path) -> Path | None:
    """The Python of checkov's own script as pip installs it: its `#!` line is the path of the
    `python` beside it and nothing else (tfgen's checkov environment, a pipx or a CI install),
    and the rest is `CHECKOV_SCRIPT_BODY`. None for anything else: a wrapper, a binary, a script
    run through `env` or with interpreter flags, another program or another checkov's script."""
    script = Path(os.path.realpath(executable))
    try:
        with open(script, "rb") as handle:
            first, body = handle.readline(4096), handle.read(len(CHECKOV_SCRIPT_BODY) + 1)
    except OSError:
        return None
    words = first[2:].split()
    if not first.startswith(b"#!") or len(words) != 1 or body != CHECKOV_SCRIPT_BODY:
        return None
    python = Path(os.fsdecode(words[0]))
    if not re.fullmatch(r"python[0-9.]*", python.name) or not os.access(python, os.X_OK):
        return None
    return python if Path(os.path.realpath(python.parent)) == script.parent else None


def _has_separator(text: str) -> bool:
    return "/" in text or (os.altsep is not None and os.altsep in text) or os.sep in text


def locate(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--checkov PATH`, then $TFGEN_CHECKOV, then the set-up's environment (beside tfgen's
    interpreter, else the one `validate --setup-checkov` made in the user's cache); always an
    absolute path.

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
        if not os.path.isfile(raw) and (cached := _cache_env_ready()) is not None:
            raw = str(cached)
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


# Variables checkov reads as options (configargparse `env_var`s: CKV_SKIP_CHECK, CKV_FRAMEWORK,
# CKV_SOFT_FAIL, BC_API_KEY, ...) would change what runs without a word in the report: none of
# the caller's reach checkov, only OFFLINE_ENV's.
_CHECKOV_OPTION_VARIABLES = ("CKV_", "BC_", "PRISMA_", "DOWNLOAD_EXTERNAL_MODULES", "EXTERNAL_MODULES_DIR")


def offline_environment(home: Path | None = None) -> dict[str, str]:
    """The environment checkov runs in: the caller's, without checkov's option variables, plus
    OFFLINE_ENV; with `home`, HOME (checkov reads `~/.checkov.yaml`) is that directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_CHECKOV_OPTION_VARIABLES)}
    env.update(OFFLINE_ENV)
    if home is not None:
        env["HOME"] = env["USERPROFILE"] = str(home)
    return env


def constraints_file() -> Path:
    return Path(str(resources.files("tfgen.checkov") / "data" / "checkov-constraints.txt"))


def pinned_packages() -> list[str]:
    """The `name==version` pins of checkov's environment, checkov itself included."""
    lines = constraints_file().read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if "==" in line and not line.lstrip().startswith("#")]


class InstallProgress(Protocol):
    """What `install` tells as it goes: a phase starts, pip collected one more package."""

    def phase(self, text: str) -> None: ...

    def collected(self, done: int, total: int, package: str) -> None: ...


# pip's lines that `install` reads (pip 23-25, `--progress-bar off`): "Collecting name==1.2 (from ...)",
# then "Installing collected packages: a, b, ..." once everything is downloaded.
_COLLECTING = re.compile(r"^Collecting (?P<name>[A-Za-z0-9._-]+)")
_INSTALLING = "Installing collected packages:"
_KEEP_LINES = 40  # of pip's output, for the one-line error when it fails


def _create_venv(target: Path) -> None:
    venv.EnvBuilder(with_pip=True, clear=target.exists()).create(target)


def install(env_dir: Path | None = None, *, progress: InstallProgress | None = None) -> Path:
    """Create (or refresh) the pinned checkov environment; returns the checkov executable.

    The whole set-up takes ~55 s; `progress` is told each phase and
    each package pip collects, from pip's own output lines.
    """
    target = env_dir or default_env_dir()
    executable = _env_executable(target)
    python = interpreter_of(executable)
    if executable.is_file() and installed_version(executable) == CHECKOV_VERSION:
        if progress is not None:
            progress.phase(f"checkov {CHECKOV_VERSION} is already installed in {target}")
        return executable
    total = len(pinned_packages())
    if progress is not None:
        progress.phase(f"creating a virtual environment in {target}")
    _create_venv(target)
    if progress is not None:
        progress.phase(f"installing checkov {CHECKOV_VERSION} with {total - 1} pinned dependencies (pip)")
    command = [
        str(python),
        "-I",  # isolated: a `pip.py` in the working directory cannot stand in for pip
        "-m",
        "pip",
        "install",
        "--progress-bar",
        "off",
        "--disable-pip-version-check",
        f"checkov=={CHECKOV_VERSION}",
        "-c",
        str(constraints_file()),
    ]
    tail: deque[str] = deque(maxlen=_KEEP_LINES)
    collected = 0
    try:
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
        ) as pip:
            assert pip.stdout is not None
            for line in pip.stdout:
                tail.append(line.rstrip())
                match = _COLLECTING.match(line)
                if match and progress is not None:
                    collected += 1
                    progress.collected(collected, max(total, collected), match.group("name"))
                elif line.startswith(_INSTALLING) and progress is not None:
                    count = len(line[len(_INSTALLING) :].split(","))
                    progress.phase(f"installing {count} packages into {target}")
            returncode = pip.wait()
    except OSError as exc:
        raise CheckovError(
            f"installing checkov {CHECKOV_VERSION} into {target} failed: cannot run {python}: {exc.strerror or exc}"
        ) from None
    if returncode != 0:
        errors = [line for line in tail if line.startswith("ERROR:")] or [line for line in tail if line.strip()]
        raise CheckovError(
            f"installing checkov {CHECKOV_VERSION} into {target} failed: "
            f"{errors[-1] if errors else f'pip exit {returncode}'}"
        )
    return executable


def mark_complete(env_dir: Path) -> None:
    """Say that the environment at `env_dir` is complete (see COMPLETE_MARK)."""
    (env_dir / COMPLETE_MARK).write_text(f"checkov {CHECKOV_VERSION}\n", encoding="utf-8")


def needs_setup(explicit: str | None) -> bool:
    """Would `locate` fail for want of tfgen's own environment? Never when the user named a checkov
    (--checkov, $TFGEN_CHECKOV): that one's absence is theirs to hear about, not to be papered over."""
    if explicit or os.environ.get(ENV_VAR):
        return False
    try:
        locate()
    except CheckovError:
        return True
    return False


def interpreter_of(executable: Path) -> Path:
    """The Python beside a checkov executable in its environment."""
    return executable.parent / ("python.exe" if os.name == "nt" else "python")


def parse_tables_script() -> Path:
    return Path(str(resources.files("tfgen.checkov") / "data" / "checkov_parse_tables.py"))


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
        raise CheckovError(
            f"checkov's parse tables with {python}: {lines[-1] if lines else f'exit {result.returncode}'}"
        )


def installed_version(executable: Path) -> str | None:
    try:
        with tempfile.TemporaryDirectory(prefix="tfgen-empty-") as empty:
            result = subprocess.run(
                [str(executable), "--version"],
                capture_output=True,
                text=True,
                timeout=120,
                cwd=empty,
                env=offline_environment(Path(empty)),
            )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = result.stdout.strip().splitlines()
    return lines[-1].strip() if result.returncode == 0 and lines else None
