"""Shared fixtures.

Real-Terraform proofs (owned with tests/support/terraform.py, test_terraform_validate.py and
test_apply_moto.py):

- `terraform_env`: terraform + the hashicorp/aws filesystem mirror + a CLI config that installs
  only from the mirror; skips with `support.terraform.skip_reason()` when something is missing.
- `moto_server`: a moto server on a loopback port of its own for the session; yields its URL.
- `baseline_config` / `full_baseline_config`: the answers the proofs render from (the moto
  account id, so the rendered ARNs are the ones moto creates).
- `rendered_baseline` / `rendered_full_baseline`: those answers rendered with
  `tfgen.init.render.render_baseline` into a session directory. Treat them as read-only:
  copy (`support.terraform.copy_tree`) before running terraform in them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import terraform as tfenv
from support.validate import write_tree

# moto's default account; the baseline is rendered for it so its ARNs match what moto creates.
MOTO_ACCOUNT_ID = "123456789012"
TEST_REGION = "eu-west-1"
TEST_NAME = "tfgen-test"
LOOPBACK = "127.0.0.1"
MOTO_START_TIMEOUT = 60.0


# --- scheduling -----------------------------------------------------------------------------


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slowest tests first: an apply on moto, then the other real-terraform proofs. With two
    pytest-xdist workers the suite ends when its last test does; a two-minute apply handed out
    last would run alone while the other worker idles. (Every worker collects the same order.)"""

    def rank(item: pytest.Item) -> int:
        if item.get_closest_marker("moto") is not None:
            return 0
        return 1 if item.get_closest_marker("terraform") is not None else 2

    items.sort(key=rank)  # stable: the collection order within each rank


# --- isolation ------------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _private_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """`tfgen validate` caches under $XDG_CACHE_HOME and keeps the cache's HMAC key under
    $XDG_CONFIG_HOME by default: keep the user's cache and key out of tests."""
    previous = {name: os.environ.get(name) for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "TFGEN_CACHE_KEY")}
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("xdg-config"))
    os.environ.pop("TFGEN_CACHE_KEY", None)
    yield
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


# --- terraform --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def terraform_env(tmp_path_factory: pytest.TempPathFactory) -> tfenv.TerraformEnv:
    """terraform on PATH, the provider mirror, and a CLI config that installs only from it."""
    reason = tfenv.skip_reason()
    if reason:
        pytest.skip(reason)
    return tfenv.prepare(tmp_path_factory.mktemp("terraform-cli"))


# --- moto -------------------------------------------------------------------------------------


@dataclass
class MotoServer:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    def log_tail(self, chars: int = 8000) -> str:
        return _tail(self.log_path, chars)

    def reset(self) -> None:
        """Forget every resource (POST /moto-api/reset)."""
        _loopback_request(f"{self.url}/moto-api/reset", method="POST")


def _loopback_request(url: str, method: str = "GET", timeout: float = 2.0) -> int:
    # No proxies: a proxy from the environment must never see a request meant for loopback.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    with opener.open(request, timeout=timeout) as response:
        return int(response.status)


def _moto_skip_reason() -> str | None:
    import importlib.util

    for module in ("moto.server", "flask", "boto3"):
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            return f"{module} is not importable by {sys.executable}: install tfgen's test extras (moto[server], boto3)"
    return None


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


_BANNER = re.compile(rb" \* Running on http://127\.0\.0\.1:(\d+)")


def _start_moto(log_path: Path) -> MotoServer:
    """moto on port 0: the kernel picks a free port as it binds, and moto's banner names it. (A port
    probed free and then handed to moto could be taken in between, and a probe that found another
    worker's moto there would share one server, and its resets, between two sessions.)"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["MOTO_ACCOUNT_ID"] = MOTO_ACCOUNT_ID
    # AWS managed policies (AWSSupportAccess, service-role/AWS_ConfigRole) exist in every account;
    # moto loads them only when asked.
    env["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    log = log_path.open("ab")
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", LOOPBACK, "-p", "0"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    finally:
        log.close()
    deadline = time.monotonic() + MOTO_START_TIMEOUT
    while time.monotonic() < deadline:
        banner = _BANNER.search(log_path.read_bytes())
        if banner is not None:
            port = int(banner.group(1))
            server = MotoServer(f"http://{LOOPBACK}:{port}", port, process, log_path)
            try:
                if _loopback_request(f"{server.url}/moto-api/data.json") == 200:
                    return server
            except (urllib.error.URLError, OSError):
                pass
        if process.poll() is not None:
            raise RuntimeError(f"moto server exited with {process.returncode}:\n{_tail(log_path)}")
        time.sleep(0.2)
    _stop(process)
    raise RuntimeError(f"moto server did not answer within {MOTO_START_TIMEOUT:.0f}s:\n{_tail(log_path)}")


def _tail(path: Path, chars: int = 8000) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-chars:]
    except OSError:
        return ""


@pytest.fixture(scope="session")
def moto_server_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    """The moto server process (loopback only) with its log; stopped at the end of the session."""
    reason = _moto_skip_reason()
    if reason:
        pytest.skip(reason)
    log_path = tmp_path_factory.mktemp("moto") / "moto-server.log"
    server = _start_moto(log_path)
    try:
        yield server
    finally:
        _stop(server.process)


@pytest.fixture(scope="session")
def moto_server(moto_server_process: MotoServer) -> str:
    """Endpoint URL of a moto server on 127.0.0.1 (free port), for the whole session."""
    return moto_server_process.url


# --- rendered baselines -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def baseline_config():  # -> tfgen.init.config.BaselineConfig
    """Required answers only (every other field at its default), for the moto account."""
    from tfgen.init.config import BaselineConfig, validate

    return validate(BaselineConfig(account_id=MOTO_ACCOUNT_ID, region=TEST_REGION, name=TEST_NAME))


@pytest.fixture(scope="session")
def full_baseline_config():  # -> tfgen.init.config.BaselineConfig
    """Every optional resource switched on: all Proton roles, data events, secrets, parameters, a
    second region for the regional services, an alarm email."""
    from tfgen.init.config import BaselineConfig, validate

    return validate(
        BaselineConfig(
            account_id=MOTO_ACCOUNT_ID,
            region=TEST_REGION,
            name=TEST_NAME,
            key_administrator_arns=(f"arn:aws:iam::{MOTO_ACCOUNT_ID}:role/tfgen-test-key-admin",),
            key_user_arns=(f"arn:aws:iam::{MOTO_ACCOUNT_ID}:role/tfgen-test-key-user",),
            enable_s3_data_events=True,
            create_codebuild_role=True,
            create_pipeline_role=True,
            create_component_role=True,
            environment_account_ids=("210987654321",),
            provisioned_services=("ecs", "lambda", "logs"),
            secret_names=("proton/repository-token", "tfgen-test/webhook"),
            secure_parameter_names=("/tfgen-test/database-endpoint",),
            tags={"Environment": "test", "Owner": "platform"},
            regions=("us-east-1",),
            alarm_email="security@example.com",
        )
    )


def _write_rendered(config, out: Path) -> Path:  # noqa: ANN001
    from tfgen.init.render import render_baseline

    return write_tree(out, render_baseline(config))


@pytest.fixture(scope="session")
def rendered_baseline(baseline_config, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: ANN001
    """`render_baseline(baseline_config)` written to a session directory (read-only: copy it)."""
    return _write_rendered(baseline_config, tmp_path_factory.mktemp("rendered-baseline"))


@pytest.fixture(scope="session")
def rendered_full_baseline(full_baseline_config, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: ANN001
    """`render_baseline(full_baseline_config)` written to a session directory (read-only: copy it)."""
    return _write_rendered(full_baseline_config, tmp_path_factory.mktemp("rendered-full-baseline"))
