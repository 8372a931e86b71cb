"""Proof 2 of `tfgen init`: the rendered baseline is canonical `terraform fmt` output, and
`terraform init -backend=false` + `terraform validate` are clean against hashicorp/aws,
installed only from the local filesystem mirror (nothing is downloaded).

Runs for the default answers and for answers that switch every optional resource on.
Skips, naming what is missing, when terraform or the provider mirror is absent.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from support import terraform as tfenv

BASELINES = ["rendered_baseline", "rendered_full_baseline"]


@pytest.fixture(params=BASELINES)
def baseline_dir(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue(request.param)


@pytest.mark.terraform
def test_fmt_check_recursive_is_clean(terraform_env: tfenv.TerraformEnv, baseline_dir: Path) -> None:
    result = terraform_env.run(["fmt", "-check", "-recursive", "-diff", "-no-color"], baseline_dir, check=False)
    assert result.returncode == 0, "rendered files are not canonical `terraform fmt` output:\n" + result.describe()
    assert result.stdout.strip() == "", result.describe()


def installed_provider_dirs(workdir: Path) -> list[Path]:
    """.terraform/providers/<host>/<namespace>/<type>/<version>/<os_arch> entries."""
    root = workdir / ".terraform" / "providers"
    return sorted(p for p in root.glob("*/*/*/*/*") if p.is_dir() or p.is_symlink())


def assert_installed_from_mirror(workdir: Path, mirror: tfenv.Mirror) -> None:
    """Every installed provider package is the mirror's own directory (terraform links it)."""
    installed = installed_provider_dirs(workdir)
    assert installed, f"terraform init installed no provider under {workdir / '.terraform/providers'}"
    for package in installed:
        rel = package.relative_to(workdir / ".terraform" / "providers")
        source = mirror.path / rel
        assert source.is_dir(), f"{rel} is not in the mirror {mirror.path}: it came from somewhere else"
        if package.is_symlink():
            assert package.resolve() == source.resolve(), (
                f"{package} links to {os.readlink(package)}, not into the mirror"
            )
        else:  # copied: same files, same sizes
            for file in source.iterdir():
                copy = package / file.name
                assert copy.is_file() and copy.stat().st_size == file.stat().st_size, f"{copy} differs from {file}"
    lock = (workdir / ".terraform.lock.hcl").read_text(encoding="utf-8")
    assert 'provider "registry.terraform.io/hashicorp/aws"' in lock, lock
    versions = {line.split('"')[1] for line in lock.splitlines() if line.strip().startswith("version ")}
    assert versions <= set(mirror.aws_versions), f"lock file selects {versions}, mirror holds {mirror.aws_versions}"


@pytest.mark.terraform
def test_init_and_validate_are_clean_offline(
    terraform_env: tfenv.TerraformEnv, baseline_dir: Path, tmp_path: Path, record_property
) -> None:  # noqa: ANN001
    workdir = tfenv.copy_tree(baseline_dir, tmp_path / "baseline")

    # The environment points HTTP(S)_PROXY at a dead loopback port: a download attempt fails
    # here instead of succeeding, and the CLI config never allows direct installation.
    assert terraform_env.env["HTTPS_PROXY"] == tfenv.DEAD_PROXY
    init = terraform_env.run(["init", "-backend=false", "-input=false", "-no-color"], workdir, check=False)
    assert init.returncode == 0, init.describe()
    record_property("terraform_init_seconds", round(init.seconds, 2))
    assert_installed_from_mirror(workdir, terraform_env.mirror)

    validate = terraform_env.run(["validate", "-json", "-no-color"], workdir, check=False)
    record_property("terraform_validate_seconds", round(validate.seconds, 2))
    try:
        report = json.loads(validate.stdout)
    except json.JSONDecodeError:
        pytest.fail("terraform validate -json printed no JSON:\n" + validate.describe())
    diagnostics = [
        f"{d.get('severity')}: {d.get('summary')}: {d.get('detail', '')} "
        f"({(d.get('range') or {}).get('filename')}:{((d.get('range') or {}).get('start') or {}).get('line')})"
        for d in report.get("diagnostics", [])
    ]
    assert report.get("valid") is True and validate.returncode == 0, "\n".join(diagnostics) or validate.describe()
    # Clean means no warnings either (deprecated arguments, ignored attributes...).
    assert report.get("warning_count") == 0 and not diagnostics, "\n".join(diagnostics)


# --- support.terraform itself (no terraform needed) ------------------------------------------


def fake_mirror(root: Path, version: str = "5.100.0", packed: bool = False) -> Path:
    plat = tfenv.platform_id()
    base = root / "registry.terraform.io" / "hashicorp" / "aws"
    if packed:
        base.mkdir(parents=True)
        (base / f"terraform-provider-aws_{version}_{plat}.zip").write_bytes(b"PK")
    else:
        (base / version / plat).mkdir(parents=True)
        (base / version / plat / f"terraform-provider-aws_v{version}_x5").write_bytes(b"")
    return root


def clear_caches() -> None:
    tfenv._find_mirror_cached.cache_clear()
    tfenv._find_terraform_cached.cache_clear()


@pytest.mark.parametrize("packed", [False, True])
def test_mirror_from_env_var_in_either_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, packed: bool) -> None:
    mirror = fake_mirror(tmp_path / "m", packed=packed)
    for value in (mirror, mirror / "registry.terraform.io"):  # either directory is accepted
        monkeypatch.setenv(tfenv.MIRROR_ENV_VAR, str(value))
        clear_caches()
        found = tfenv.find_mirror()
        assert found is not None and found.path == mirror.resolve() and found.aws_versions == ("5.100.0",)
        assert tfenv.mirror_problem() is None
    clear_caches()


def test_bad_env_var_is_reported_not_silently_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(tfenv.MIRROR_ENV_VAR, str(tmp_path / "empty"))
    clear_caches()
    assert tfenv.find_mirror() is None
    reason = tfenv.skip_reason()
    assert reason is not None and tfenv.MIRROR_ENV_VAR in reason and "hashicorp/aws" in reason
    clear_caches()


def test_search_is_bounded_and_finds_registry_dirs(tmp_path: Path) -> None:
    fake_mirror(tmp_path / "a" / "b")  # registry.terraform.io at depth 3
    fake_mirror(tmp_path / "a" / "b" / "c" / "d")  # depth 5: beyond the bound
    found = list(tfenv.search_registry_dirs(tmp_path, max_depth=4))
    assert found == [tmp_path / "a" / "b" / "registry.terraform.io"]


def test_terraform_missing_from_path_is_the_skip_reason(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv(tfenv.MIRROR_ENV_VAR, str(fake_mirror(tmp_path / "m")))
    clear_caches()
    assert tfenv.find_terraform() is None
    assert tfenv.skip_reason() == "terraform is not on PATH"
    clear_caches()


def test_cli_config_and_environment(tmp_path: Path) -> None:
    mirror = fake_mirror(tmp_path / "m")
    config = tfenv.write_cli_config(tmp_path / "cfg", mirror)
    text = config.read_text(encoding="utf-8")
    assert f'path    = "{mirror}"' in text
    assert 'include = ["registry.terraform.io/*/*"]' in text and 'exclude = ["registry.terraform.io/*/*"]' in text
    base = {
        "PATH": "/usr/bin",
        "TF_PLUGIN_CACHE_DIR": "/cache",
        "TF_CLI_CONFIG_FILE": "/root/.terraformrc",
        "TF_CLI_ARGS_apply": "-parallelism=1",
        "TF_DATA_DIR": "/elsewhere",
        "TF_TOKEN_app_terraform_io": "x",
    }
    env = tfenv.environment(config, base)
    assert env["TF_CLI_CONFIG_FILE"] == str(config)
    assert env["TF_IN_AUTOMATION"] == "1" and env["CHECKPOINT_DISABLE"] == "1" and env["TF_INPUT"] == "0"
    for gone in ("TF_PLUGIN_CACHE_DIR", "TF_CLI_ARGS_apply", "TF_DATA_DIR", "TF_TOKEN_app_terraform_io"):
        assert gone not in env
    assert env["HTTPS_PROXY"] == tfenv.DEAD_PROXY and "127.0.0.1" in env["NO_PROXY"]
    assert "HTTPS_PROXY" not in tfenv.environment(config, base, network_guard=False)
