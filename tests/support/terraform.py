"""Run the real `terraform` offline against a local hashicorp/aws filesystem mirror.

Test scaffolding (validate and moto-apply proofs); not part of the tfgen package. Nothing here
downloads anything:

- `find_terraform()` locates `terraform` on PATH and asks it for its version.
- `find_mirror()` locates a provider filesystem mirror holding hashicorp/aws for this
  platform: `$TFGEN_TF_PLUGIN_MIRROR` first, then Terraform's implied local mirror
  directories, then a bounded search of the filesystem for a `registry.terraform.io`
  directory (the equivalent of `find / -maxdepth 4 -type d -name registry.terraform.io`).
- `write_cli_config(dir, mirror)` writes a CLI configuration whose `provider_installation`
  installs every registry.terraform.io provider from the mirror and never directly.
- `environment(cli_config)` returns the environment to run terraform with.
- `skip_reason()` says exactly what is missing, or returns None when terraform can run.
- `prepare(dir)` does all of that and returns a `TerraformEnv` with a `run()` helper.
- `copy_tree(src, dst)` copies a tree without terraform's working files.
- `called_module_dirs(root)` names the modules `terraform init` loaded for a root.
"""

from __future__ import annotations

import functools
import json
import os
import platform
import re
import shutil
import subprocess
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

MIRROR_ENV_VAR = "TFGEN_TF_PLUGIN_MIRROR"
REGISTRY_DIR = "registry.terraform.io"
AWS_PROVIDER = ("hashicorp", "aws")
CLI_CONFIG_NAME = "tfgen-terraform.tfrc"

# `find / -maxdepth 4 -type d -name registry.terraform.io`: the directory itself at depth <= 4.
SEARCH_ROOT = Path("/")
SEARCH_MAX_DEPTH = 4
# Pseudo and volatile file systems never hold a mirror; skipping them keeps the walk cheap.
SEARCH_PRUNE = frozenset({"/proc", "/sys", "/dev", "/run"})
# Bounds the walk on an unusual machine (each entry is one directory listed).
SEARCH_MAX_DIRS = 20000

# A proxy nobody listens on (the discard port): any request that is not to loopback fails fast
# instead of reaching the network. Go skips proxies for loopback hosts, so moto still works.
DEAD_PROXY = "http://127.0.0.1:9"

# Variables from the caller's environment that would change what terraform does.
_STRIP_EXACT = frozenset(
    {
        "TF_PLUGIN_CACHE_DIR",
        "TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE",
        "TF_DATA_DIR",
        "TF_WORKSPACE",
        "TF_CLI_CONFIG_FILE",
        "TF_REGISTRY_DISCOVERY_RETRY",
        "TF_REGISTRY_CLIENT_TIMEOUT",
    }
)
_STRIP_PREFIXES = ("TF_CLI_ARGS", "TF_TOKEN_")


@dataclass(frozen=True)
class TerraformBinary:
    executable: Path
    version: str  # e.g. "1.11.4"

    @property
    def version_tuple(self) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", self.version)[:3])


@dataclass(frozen=True)
class Mirror:
    path: Path  # the directory holding registry.terraform.io/ (what the CLI config names)
    aws_versions: tuple[str, ...]  # hashicorp/aws versions present for this platform


def platform_id() -> str:
    """Terraform's platform string for this machine, e.g. linux_amd64."""
    system = platform.system().lower()
    machine = platform.machine().lower()
    arch = {
        "x86_64": "amd64",
        "amd64": "amd64",
        "aarch64": "arm64",
        "arm64": "arm64",
        "i386": "386",
        "i686": "386",
    }.get(machine, machine)
    return f"{system}_{arch}"


# --- terraform ------------------------------------------------------------------------------


def terraform_version(executable: Path) -> str:
    """`terraform version -json` -> "1.11.4" (raises OSError/ValueError/CalledProcessError)."""
    proc = subprocess.run(
        [str(executable), "version", "-json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**os.environ, "CHECKPOINT_DISABLE": "1"},
    )
    return str(json.loads(proc.stdout)["terraform_version"])


@functools.cache
def _find_terraform_cached(path_env: str | None) -> TerraformBinary | None:
    found = shutil.which("terraform", path=path_env)
    if not found:
        return None
    executable = Path(found)
    try:
        version = terraform_version(executable)
    except (OSError, ValueError, KeyError, subprocess.SubprocessError):
        return None
    return TerraformBinary(executable, version)


def find_terraform() -> TerraformBinary | None:
    """`terraform` on PATH with its version, or None when absent or not runnable."""
    return _find_terraform_cached(os.environ.get("PATH"))


def _terraform_problem() -> str | None:
    found = shutil.which("terraform")
    if not found:
        return "terraform is not on PATH"
    try:
        terraform_version(Path(found))
    except (OSError, ValueError, KeyError, subprocess.SubprocessError) as exc:
        return f"{found} does not run (`terraform version -json` failed: {exc})"
    return None


# --- the provider mirror --------------------------------------------------------------------


def aws_versions_in(mirror: Path, plat: str | None = None) -> tuple[str, ...]:
    """hashicorp/aws versions in a mirror for `plat`, in either the unpacked or packed layout."""
    plat = plat or platform_id()
    base = mirror.joinpath(REGISTRY_DIR, *AWS_PROVIDER)
    versions: set[str] = set()
    try:
        entries = list(base.iterdir())
    except OSError:
        return ()
    for entry in entries:
        # unpacked: <version>/<os_arch>/terraform-provider-aws_v<version>*
        if entry.is_dir() and (entry / plat).is_dir():
            if any(p.name.startswith("terraform-provider-aws") for p in (entry / plat).iterdir()):
                versions.add(entry.name)
        # packed: terraform-provider-aws_<version>_<os_arch>.zip
        match = re.fullmatch(rf"terraform-provider-aws_(.+)_{re.escape(plat)}\.zip", entry.name)
        if match and entry.is_file():
            versions.add(match.group(1))
    return tuple(sorted(versions, key=_version_key))


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"[.\-+]", version))


def _as_mirror_dir(path: Path) -> Path:
    """Accept either the mirror directory or its registry.terraform.io child."""
    return path.parent if path.name == REGISTRY_DIR else path


def implied_mirror_dirs() -> list[Path]:
    """Terraform's own implied local mirror directories (Unix), most specific first."""
    home = Path.home()
    dirs = [home / ".terraform.d" / "plugins"]
    xdg = os.environ.get("XDG_DATA_HOME")
    dirs.append(Path(xdg) / "terraform" / "plugins" if xdg else home / ".local" / "share" / "terraform" / "plugins")
    for data_dir in (os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(os.pathsep):
        if data_dir:
            dirs.append(Path(data_dir) / "terraform" / "plugins")
    return dirs


def search_registry_dirs(
    root: Path = SEARCH_ROOT, max_depth: int = SEARCH_MAX_DEPTH, max_dirs: int = SEARCH_MAX_DIRS
) -> Iterator[Path]:
    """Directories named registry.terraform.io at depth <= max_depth below root (breadth first,
    sorted, symlinks not followed, pseudo file systems pruned, at most max_dirs listed)."""
    level = [root]
    listed = 0
    for depth in range(1, max_depth + 1):
        next_level: list[Path] = []
        for directory in level:
            if listed >= max_dirs:
                return
            listed += 1
            try:
                with os.scandir(directory) as it:
                    children = sorted((e for e in it if e.is_dir(follow_symlinks=False)), key=lambda e: e.name)
            except OSError:
                continue
            for child in children:
                if child.path in SEARCH_PRUNE:
                    continue
                if child.name == REGISTRY_DIR:
                    yield Path(child.path)
                elif depth < max_depth:
                    next_level.append(Path(child.path))
        level = next_level


@functools.cache
def _find_mirror_cached(env_value: str | None, plat: str) -> tuple[Mirror | None, str | None]:
    if env_value:
        candidate = _as_mirror_dir(Path(env_value))
        versions = aws_versions_in(candidate, plat)
        if versions:
            return Mirror(candidate.resolve(), versions), None
        return None, (f"${MIRROR_ENV_VAR}={env_value} holds no {REGISTRY_DIR}/hashicorp/aws provider for {plat}")
    seen: set[Path] = set()
    candidates = [d / REGISTRY_DIR for d in implied_mirror_dirs()]
    for registry_dir in [*candidates, *search_registry_dirs()]:
        mirror_dir = registry_dir.parent.resolve() if registry_dir.exists() else None
        if mirror_dir is None or mirror_dir in seen:
            continue
        seen.add(mirror_dir)
        versions = aws_versions_in(mirror_dir, plat)
        if versions:
            return Mirror(mirror_dir, versions), None
    where = ", ".join(str(p) for p in sorted(seen)) or "none found"
    return None, (
        f"no filesystem mirror of hashicorp/aws for {plat}: set ${MIRROR_ENV_VAR} to a directory holding "
        f"{REGISTRY_DIR}/hashicorp/aws/<version>/{plat}/ (searched the implied mirror directories and "
        f"{SEARCH_ROOT} to depth {SEARCH_MAX_DEPTH}; {REGISTRY_DIR} directories seen: {where})"
    )


def find_mirror() -> Mirror | None:
    """The hashicorp/aws filesystem mirror for this platform, or None (see `mirror_problem()`)."""
    return _find_mirror_cached(os.environ.get(MIRROR_ENV_VAR), platform_id())[0]


def mirror_problem() -> str | None:
    return _find_mirror_cached(os.environ.get(MIRROR_ENV_VAR), platform_id())[1]


def skip_reason() -> str | None:
    """Exactly what is missing for running terraform offline, or None when nothing is."""
    problems = [p for p in (_terraform_problem(), mirror_problem()) if p]
    return "; ".join(problems) if problems else None


# --- CLI configuration and environment ------------------------------------------------------


def _hcl_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid HCL string literal (no ${ in paths)


def cli_config_text(mirror: Path) -> str:
    path = _hcl_string(str(mirror))
    pattern = _hcl_string(f"{REGISTRY_DIR}/*/*")
    return (
        "# Written by tests/support/terraform.py: providers come only from the local filesystem mirror.\n"
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f"    path    = {path}\n"
        f"    include = [{pattern}]\n"
        "  }\n"
        "  direct {\n"
        f"    exclude = [{pattern}]\n"
        "  }\n"
        "}\n"
        "disable_checkpoint = true\n"
    )


def write_cli_config(directory: Path, mirror: Path | Mirror) -> Path:
    """Write the CLI configuration into `directory`; returns its path."""
    mirror_path = mirror.path if isinstance(mirror, Mirror) else _as_mirror_dir(Path(mirror))
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / CLI_CONFIG_NAME
    config.write_text(cli_config_text(mirror_path), encoding="utf-8")
    return config


def environment(
    cli_config: Path, base: Mapping[str, str] | None = None, *, network_guard: bool = True
) -> dict[str, str]:
    """The environment for running terraform with `cli_config`.

    TF_CLI_CONFIG_FILE points at it, TF_IN_AUTOMATION=1, TF_INPUT=0, CHECKPOINT_DISABLE=1, GOGC=400; the
    plugin cache, data dir, workspace and TF_CLI_ARGS* of the caller are removed. With
    network_guard, HTTP(S)_PROXY point at a dead loopback port so that nothing but loopback
    (moto) can be reached: a download attempt fails instead of succeeding.
    """
    env = {
        key: value
        for key, value in (os.environ if base is None else base).items()
        if key not in _STRIP_EXACT and not key.startswith(_STRIP_PREFIXES)
    }
    env["TF_CLI_CONFIG_FILE"] = str(cli_config)
    env["TF_IN_AUTOMATION"] = "1"
    env["TF_INPUT"] = "0"
    env["CHECKPOINT_DISABLE"] = "1"
    # Go's collector paced at GOGC=400, not 100 (a caller's GOGC wins): hashicorp/aws 5.100 builds
    # the schemas of every resource type at each start, and at the default pacing collecting that
    # garbage is about a quarter of a command's CPU. The terraform commands of one live Proton case
    # (init, apply, init, plan, show): 18 CPU s instead of 25; `terraform validate` of one topic
    # peaks at 380 MB instead of 333. The same commands give the same results: only how often the
    # runtime collects changes.
    env.setdefault("GOGC", "400")
    if network_guard:
        for key in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            env[key] = DEAD_PROXY
        for key in ("NO_PROXY", "no_proxy"):
            env[key] = "127.0.0.1,localhost,::1"
    return env


@dataclass
class TerraformResult:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    def describe(self) -> str:
        return (
            f"`terraform {' '.join(self.args)}` exited {self.returncode} after {self.seconds:.1f}s\n"
            f"--- stdout ---\n{self.stdout[-20000:]}\n--- stderr ---\n{self.stderr[-20000:]}"
        )


@dataclass
class TerraformEnv:
    terraform: TerraformBinary
    mirror: Mirror
    cli_config: Path
    env: dict[str, str] = field(repr=False)

    def run(
        self,
        args: Sequence[str],
        cwd: Path,
        *,
        timeout: float = 900,
        extra_env: Mapping[str, str] | None = None,
        unset: Iterable[str] = (),
        check: bool = True,
    ) -> TerraformResult:
        """Run `terraform <args>` in cwd with self.env minus `unset` plus `extra_env`;
        with check, raise TerraformFailed on a non-zero exit."""
        drop = set(unset)
        env = {k: v for k, v in self.env.items() if k not in drop}
        env.update(extra_env or {})
        start = time.monotonic()
        proc = subprocess.run(
            [str(self.terraform.executable), *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        result = TerraformResult(list(args), proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)
        if check and proc.returncode != 0:
            raise TerraformFailed(result)
        return result


class TerraformFailed(AssertionError):
    def __init__(self, result: TerraformResult) -> None:
        super().__init__(result.describe())
        self.result = result


def copy_tree(src: Path, dst: Path) -> Path:
    """Copy a Terraform tree without terraform's working files (.terraform, lock file, state)."""
    shutil.copytree(
        src,
        dst,
        ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "*.tfstate", "*.tfstate.backup"),
    )
    return dst


def called_module_dirs(root: Path) -> set[Path]:
    """The directories of every module `terraform init` loaded for `root`, root excluded (read
    from .terraform/modules/modules.json). `terraform validate` of `root` validates each of them,
    its variables unknown as in a validate of the module alone, and reports its errors and
    warnings as the root's: a module a validated root calls needs no validate of its own."""
    manifest = json.loads((root / ".terraform" / "modules" / "modules.json").read_text(encoding="utf-8"))
    return {(root / entry["Dir"]).resolve() for entry in manifest["Modules"] if entry["Key"]}


class TerraformUnavailable(RuntimeError):
    """Raised by prepare() with skip_reason()'s text."""


def prepare(config_dir: Path, base_env: Mapping[str, str] | None = None, *, network_guard: bool = True) -> TerraformEnv:
    """Find terraform and the mirror, write the CLI config into config_dir, build the env."""
    reason = skip_reason()
    terraform = find_terraform()
    mirror = find_mirror()
    if reason or terraform is None or mirror is None:
        raise TerraformUnavailable(reason or "terraform or the hashicorp/aws mirror is unavailable")
    cli_config = write_cli_config(config_dir, mirror)
    return TerraformEnv(terraform, mirror, cli_config, environment(cli_config, base_env, network_guard=network_guard))
