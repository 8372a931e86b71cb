"""The wheel ships every blueprint and data file, and builds without setuptools warnings.

setuptools (77+) warns that an importable directory absent from `packages` "would be ignored"
by a future release, and that a `project.license` table stops working on 2027-02-18: either
would one day ship a wheel without its blueprints. The wheel is built offline from a copy of
the source with the test environment's setuptools (`--no-build-isolation`).
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support.validate import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SHIPPED_TREES = {"tfgen": ROOT / "tfgen", "tfgen.blueprints": ROOT / "blueprints"}
SKIP_PARTS = {"__pycache__"}


def _shipped_files() -> dict[str, Path]:
    """Wheel path -> source file for everything under tfgen/ and blueprints/."""
    files: dict[str, Path] = {}
    for package, root in SHIPPED_TREES.items():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not SKIP_PARTS & set(path.relative_to(root).parts) and path.suffix != ".pyc":
                files["/".join((*package.split("."), *path.relative_to(root).parts))] = path
    return files


def _directories() -> set[str]:
    return {wheel_path.rsplit("/", 1)[0].replace("/", ".") for wheel_path in _shipped_files()}


def test_every_shipped_directory_is_a_listed_package() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    assert _directories() - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        (source / name).write_bytes((ROOT / name).read_bytes())
    for path in _shipped_files().values():
        target = source / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-v",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (built,) = out.glob("tfgen-*.whl")
    return built, result.stdout + result.stderr


def test_wheel_holds_every_blueprint_and_data_file(wheel: tuple[Path, str]) -> None:
    built, _ = wheel
    names = set(zipfile.ZipFile(built).namelist())
    missing = sorted(set(_shipped_files()) - names)
    assert missing == []
    assert any(name.startswith("tfgen/blueprints/modules/kms/") for name in names)


def test_wheel_builds_without_setuptools_warnings(wheel: tuple[Path, str]) -> None:
    _, log = wheel
    warnings = sorted(
        {line.strip() for line in log.splitlines() if "BuildBackendWarning" in line or "would be ignored" in line}
    )
    assert warnings == []
