"""A moto server on loopback, for the session (tests/conftest.py) or for the moto apply's own
process (support/moto_apply.py): started on port 0, its URL read from its banner, stopped with
its process."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tfgen.hcl.quote import quote

# moto's default account; the baselines are rendered for it so their ARNs match what moto creates.
ACCOUNT_ID = "123456789012"
LOOPBACK = "127.0.0.1"
START_TIMEOUT = 60.0


@dataclass
class MotoServer:
    url: str
    process: subprocess.Popen[bytes]


def _answers(url: str, timeout: float = 2.0) -> bool:
    # No proxies: a proxy from the environment must never see a request meant for loopback.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(urllib.request.Request(url), timeout=timeout) as response:
        return int(response.status) == 200


def skip_reason() -> str | None:
    for module in ("moto.server", "flask", "boto3"):
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            return f"{module} is not importable by {sys.executable}: install tfgen's test extras (moto[server], boto3)"
    return None


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


_BANNER = re.compile(rb" \* Running on http://127\.0\.0\.1:(\d+)")


def start(log_path: Path) -> MotoServer:
    """moto on port 0: the kernel picks a free port as it binds, and moto's banner names it. (A port
    probed free and then handed to moto could be taken in between, and a probe that found another
    worker's moto there would share one server, and its resets, between two sessions.)"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["MOTO_ACCOUNT_ID"] = ACCOUNT_ID
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
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        banner = _BANNER.search(log_path.read_bytes())
        if banner is not None:
            server = MotoServer(f"http://{LOOPBACK}:{int(banner.group(1))}", process)
            try:
                if _answers(f"{server.url}/moto-api/data.json"):
                    return server
            except (urllib.error.URLError, OSError):
                pass
        if process.poll() is not None:
            raise RuntimeError(f"moto server exited with {process.returncode}:\n{tail(log_path)}")
        time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"moto server did not answer within {START_TIMEOUT:.0f}s:\n{tail(log_path)}")


def tail(path: Path, chars: int = 8000) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-chars:]
    except OSError:
        return ""


# The first lines of a test copy's override file: state stays local.
OVERRIDE_HEAD = "# Test copy only: a moto server on loopback, throwaway credentials, local state.\n"
LOCAL_BACKEND = 'terraform {\n  backend "local" {}\n}\n'


def provider_block(endpoint: str, services: Sequence[str], *lines: str) -> str:
    """A `provider "aws"` block that sends every service in `services` to moto at `endpoint`, with
    throwaway credentials; `lines` (whole attribute lines) go first.

    max_retries = 2 (one retry): with the machine's two cores busy, the provider can lose a
    connection while reading moto's answer ("read tcp ...: use of closed network connection" after a
    200, seen on a live Proton case's DescribeLogGroups), and max_retries = 1 is no retry at all.
    One retry costs nothing when every answer comes, and what an apply or a plan reads is the same."""
    width = max(len(s) for s in services)
    endpoints = "".join(f"    {s.ljust(width)} = {quote(endpoint)}\n" for s in services)
    return (
        'provider "aws" {\n' + "".join(lines) + '  access_key                  = "testing"\n'
        '  secret_key                  = "testing"\n'
        "  skip_credentials_validation = true\n"
        "  skip_metadata_api_check     = true\n"
        "  s3_use_path_style           = true\n"
        "  max_retries                 = 2\n"
        "  endpoints {\n"
        f"{endpoints}"
        "  }\n"
        "}\n"
    )
