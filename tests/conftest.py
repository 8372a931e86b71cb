"""Shared fixtures.

Real-Terraform proofs (owned with tests/support/terraform.py, test_terraform_validate.py and
test_apply_moto.py):

- `terraform_env`: terraform + the hashicorp/aws filesystem mirror + a CLI config that installs
  only from the mirror; skips with `support.terraform.skip_reason()` when something is missing.
- `moto_server`: a moto server on a loopback port of its own for the session; yields its URL.
- `moto_applied_baseline`: the full baseline as support/moto_apply.py's job applied it on a moto
  server of its own, beside the suite (for test_apply_moto.py's apply test only).
- `baseline_config` / `full_baseline_config`: the answers the proofs render from (the moto
  account id, so the rendered ARNs are the ones moto creates).
- `rendered_baseline` / `rendered_full_baseline`: those answers rendered with
  `tfgen.init.render.render_baseline` into a session directory. Treat them as read-only:
  copy (`support.terraform.copy_tree`) before running terraform in them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import baselines, moto, moto_apply
from support import terraform as tfenv
from support.validate import write_tree

# --- scheduling -----------------------------------------------------------------------------


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slowest tests first: the live Proton cut-overs on moto, then the other real-terraform
    proofs. With two pytest-xdist workers the suite ends when its last test does; a minute-long
    proof handed out last would run alone while the other worker idles. The moto apply's test
    comes after them: its apply runs beside the suite from the start (`support.moto_apply`), and
    by then it is done. (Every worker collects the same order.)"""

    def rank(item: pytest.Item) -> int:
        if moto_apply.is_the_test(item.nodeid):
            return 2
        if item.get_closest_marker("moto") is not None:
            return 0
        return 1 if item.get_closest_marker("terraform") is not None else 3

    items.sort(key=rank)  # stable: the collection order within each rank


# --- the moto apply, beside the suite (support/moto_apply.py) ---------------------------------

_MOTO_APPLY = pytest.StashKey[moto_apply.Job]()
_MOTO_APPLY_DIR = "tfgen_moto_apply_dir"  # in each worker's workerinput


def _owns_the_session(config: pytest.Config) -> bool:
    """xdist's controller, or pytest without workers: not a worker."""
    return not hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    if _owns_the_session(config):
        config.stash[_MOTO_APPLY] = moto_apply.Job(Path(tempfile.mkdtemp(prefix="tfgen-moto-apply-")))


def pytest_unconfigure(config: pytest.Config) -> None:
    job = config.stash.get(_MOTO_APPLY, None)
    if job is not None:
        job.stop()
        shutil.rmtree(job.directory, ignore_errors=True)


def _start_moto_apply(config: pytest.Config) -> None:
    if config.option.collectonly:
        return
    if tfenv.skip_reason() is None and moto.skip_reason() is None:
        config.stash[_MOTO_APPLY].start()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist's controller, for each worker it starts: where the session's job is."""
    node.workerinput[_MOTO_APPLY_DIR] = str(node.config.stash[_MOTO_APPLY].directory)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: Any, ids: list[str]) -> None:
    """xdist's controller, as each worker reports what it collected (before any test runs)."""
    if any(moto_apply.is_the_test(nodeid) for nodeid in ids):
        _start_moto_apply(node.config)


def pytest_collection_finish(session: pytest.Session) -> None:
    if _owns_the_session(session.config) and any(moto_apply.is_the_test(item.nodeid) for item in session.items):
        _start_moto_apply(session.config)


@pytest.fixture
def moto_applied_baseline(
    request: pytest.FixtureRequest, terraform_env: tfenv.TerraformEnv, tmp_path: Path
) -> Iterator[moto_apply.Applied]:
    """The full baseline (less what moto lacks) applied on a moto server of the job's own. Once the
    test is done, the job's files (the tree, its state, moto's log) are copied to the test's
    tmp_path, kept with pytest's other temporary directories."""
    assert moto_apply.is_the_test(request.node.nodeid), f"{request.node.nodeid}: name it in moto_apply.TEST"
    reason = moto.skip_reason()
    if reason:
        pytest.skip(reason)
    config = request.config
    if _owns_the_session(config):
        job = config.stash[_MOTO_APPLY]
    else:
        job = moto_apply.Job(Path(config.workerinput[_MOTO_APPLY_DIR]))
    job.start()  # nothing to do where the session's owner started it
    try:
        yield job.wait()
    finally:
        job.stop()
        shutil.copytree(job.directory, tmp_path / "moto-apply", symlinks=True)  # the provider stays a link


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


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Endpoint URL of a moto server on 127.0.0.1 (free port), for the whole session; its log in the
    session's temporary directory."""
    reason = moto.skip_reason()
    if reason:
        pytest.skip(reason)
    server = moto.start(tmp_path_factory.mktemp("moto") / "moto-server.log")
    try:
        yield server.url
    finally:
        moto.stop(server.process)


# --- rendered baselines -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def baseline_config():  # -> tfgen.init.config.BaselineConfig
    """Required answers only (every other field at its default), for the moto account."""
    return baselines.required_config()


@pytest.fixture(scope="session")
def full_baseline_config():  # -> tfgen.init.config.BaselineConfig
    """Every optional resource switched on (`baselines.full_config`)."""
    return baselines.full_config()


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
