"""The full baseline applied on a moto server of its own, in a process of its own, beside the suite.

Most of that apply is the provider asleep: after PutBucketLifecycleConfiguration,
terraform-provider-aws 5.100.0 reads the configuration back ten times (after 10 s, then every 5 s,
its `waitLifecycleConfigEquals`; the same on AWS, and no setting shortens it), and it waits ~12 s
on each KMS key. Inside a test, that minute would hold one of the two workers while a core stands
idle: `TFGEN_TEST_WORKERS=2 python3 dev.py test` takes 325 s that way, 291-305 s with the apply
here (seven runs; 275 s without the test at all; docs/development.md). So the session's owner
(xdist's controller, or pytest itself without workers; tests/conftest.py) starts this process as
soon as a collection holds the test (`TEST`), and the test, scheduled after the slowest proofs,
finds the account applied, reads it back and destroys it: the same apply and the same checks as
when the test runs the apply itself.

This module holds three things: the copy's override (moto's endpoints, what moto lacks), the job's
process (`run_job`, `python -m support.moto_apply DIR PID` from the repository with it and tests/
on PYTHONPATH, PID its starter's), and the test's side of it (`Job`, `Applied`). In DIR:

- pid: the job's process, written by whoever starts it (`Job.start`);
- job.json: once the tree is written: moto's URL, the work directory, the environment the apply
  ran with (the destroy needs the same), the secret values it wrote;
- result.json: after `terraform init` and `terraform apply` (each step's exit code, time and
  output), or the error that stopped the job;
- done: the test's word (`Job.stop`) that the account is no longer needed: moto stops and the job
  exits. The job also ends, with everything it started, when its parent is gone (a session
  stopped by SIGTERM or SIGKILL: then DIR stays behind), or after `MAX_LIFETIME` seconds.
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from support import baselines, moto, processes
from support import terraform as tfenv
from support.validate import write_tree
from tfgen.hcl.quote import quote, unquote
from tfgen.hcl.read import read_file
from tfgen.init.config import BaselineConfig, validate
from tfgen.init.render import render_baseline

# The test that reads the account back (`is_the_test`): the session's owner starts the job when it is collected.
TEST = "test_apply_moto.py::test_apply_against_moto_reads_back_every_practice_then_destroys"
TERRAFORM_TIMEOUT = 900.0  # each of init and apply (they take ~1 s and ~70 s alone)
WAIT_SECONDS = 2 * TERRAFORM_TIMEOUT + 60.0  # past both steps' own timeouts: the job is stuck
MAX_LIFETIME = 3600.0  # a job nobody stopped (a session killed with -9) ends on its own
OVERRIDE_NAME = "zz_moto_override.tf"

# Provider `endpoints` keys for every service the baseline touches (sts: the account id lookup).
ENDPOINT_SERVICES = (
    "accessanalyzer",
    "cloudtrail",
    "cloudwatch",
    "cloudwatchlogs",
    "configservice",
    "ec2",
    "guardduty",
    "iam",
    "kms",
    "s3",
    "s3control",
    "secretsmanager",
    "securityhub",
    "sns",
    "ssm",
    "sts",
)

# The provider's fixed waits (S3 lifecycle ~55 s, KMS key ~12 s) run all at once.
PARALLELISM = 32

# Services moto 5.2 does not emulate, turned off by their answers for this test only: every other
# answer stays on. checkov, terraform validate and the parse-back prove them on every render.
MOTO_LACKS = {
    "access_analyzer": False,  # moto has no accessanalyzer backend
    "security_hub": False,  # moto has no UpdateSecurityHubConfiguration or standards subscriptions
}
# moto 5.2 sets an EBS default key (ModifyEbsDefaultKmsKeyId) but cannot read or reset it
# (GetEbsDefaultKmsKeyId, ResetEbsDefaultKmsKeyId), so the copy leaves that one resource out.
EBS_DEFAULT_KEY_OVERRIDE = (
    "modules/account_encryption/zz_moto_override.tf",
    '# Test copy only: moto 5.2 cannot read an EBS default key back.\nresource "aws_ebs_default_kms_key" "this" '
    "{\n  count = 0\n}\n",
)


def is_the_test(nodeid: str) -> bool:
    """Whatever the rootdir: `tests/test_apply_moto.py::...`, or `test_apply_moto.py::...` from tests/."""
    return nodeid == TEST or nodeid.endswith("/" + TEST)


def moto_config() -> BaselineConfig:
    """The full baseline's answers, less what moto lacks."""
    return validate(dataclasses.replace(baselines.full_config(), **MOTO_LACKS))


# --- the override (the job's copy only) -------------------------------------------------------


def _plain(value: Any) -> Any:
    """python-hcl2 8.x keeps the quotes of labels and strings."""
    return unquote(value) if isinstance(value, str) and value.startswith('"') else value


def provider_aliases(root: Path) -> list[str | None]:
    """Aliases of every `provider "aws"` block in the root module (None: the default one)."""
    aliases: list[str | None] = []
    for path in sorted(root.glob("*.tf")):
        parsed = read_file(path, path.name)
        for entry in parsed.data.get("provider", []):
            for label, body in entry.items():
                if _plain(label) == "aws":
                    aliases.append(_plain(body.get("alias")))
    return sorted(set(aliases), key=lambda a: a or "") or [None]


def override_text(endpoint: str, aliases: Iterable[str | None]) -> str:
    # skip_requesting_account_id stays off on purpose: the baseline sets allowed_account_ids, which
    # the provider checks against the account moto's STS reports (with the skip it fails with
    # "AWS account ID not allowed: ").
    blocks = [moto.OVERRIDE_HEAD + moto.LOCAL_BACKEND]
    for alias in aliases:
        alias_line = f"  alias                       = {quote(alias)}\n" if alias else ""
        blocks.append(moto.provider_block(endpoint, ENDPOINT_SERVICES, alias_line))
    return "\n".join(blocks)


def root_variables(root: Path) -> set[str]:
    names: set[str] = set()
    for path in sorted(root.glob("*.tf")):
        for block in read_file(path, path.name).blocks:
            if block.type == "variable" and block.labels:
                names.add(block.labels[0])
    return names


def hcl_map(values: dict[str, Any]) -> str:
    return (
        "{"
        + ", ".join(f"{quote(k)} = {v if isinstance(v, int) else quote(v)}" for k, v in sorted(values.items()))
        + "}"
    )


def apply_environment(workdir: Path, config: BaselineConfig, endpoint: str) -> tuple[dict[str, str], dict[str, str]]:
    """What terraform runs with beside `TerraformEnv.env` (the apply and the destroy alike), and the
    secret values the apply writes (name -> value)."""
    # HTTP_PROXY is moto: S3 Control's account-prefixed host reaches it only through the proxy.
    env = {"AWS_EC2_METADATA_DISABLED": "true", "HTTP_PROXY": endpoint, "http_proxy": endpoint}
    # Where the baseline takes secret values at apply time (ephemeral variables feeding write-only
    # arguments), pass one as TF_VAR_* and check it reaches Secrets Manager but not the state.
    written: dict[str, str] = {}
    if {"secret_values", "secret_value_versions"} <= root_variables(workdir):
        first_secret = sorted(config.secret_names)[0]
        written[first_secret] = "moto-" + secrets.token_hex(16)
        env["TF_VAR_secret_value_versions"] = hcl_map({first_secret: 1})
        env["TF_VAR_secret_values"] = hcl_map(written)
    return env, written


def aws_variables(terraform: tfenv.TerraformEnv) -> list[str]:
    """Nothing from the caller's AWS configuration (profiles, endpoints, CA bundles) may leak in."""
    return [k for k in terraform.env if k.startswith("AWS_")]


# --- the job's process ------------------------------------------------------------------------


def _write_json(path: Path, value: object) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(value), encoding="utf-8")
    partial.replace(path)  # a reader never sees half a file


def _end_with_parent(parent: int) -> None:
    """A session stopped without its clean-up (SIGTERM, SIGKILL) leaves this job orphaned: it ends
    then, with terraform, the provider and moto (its process group, of which it is the leader)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os.killpg(os.getpgrp(), signal.SIGKILL)


def run_job(directory: Path, starter: int) -> int:
    """`starter`: the pid of the process that started this one (`Job.start`). Compared with the
    parent the job has now, it tells a starter that died while the job was importing its modules."""
    if os.getpgrp() != os.getpid():  # started by hand: a group of its own, so the kill takes only the job's
        os.setsid()
    born = time.monotonic()
    threading.Thread(target=_end_with_parent, args=(starter,), daemon=True).start()
    server = None
    try:
        terraform = tfenv.prepare(directory / "terraform-cli")
        server = moto.start(directory / "moto-server.log")
        config = moto_config()
        workdir = write_tree(directory / "baseline", render_baseline(config))
        (workdir / OVERRIDE_NAME).write_text(override_text(server.url, provider_aliases(workdir)), encoding="utf-8")
        (workdir / EBS_DEFAULT_KEY_OVERRIDE[0]).write_text(EBS_DEFAULT_KEY_OVERRIDE[1], encoding="utf-8")
        env, written = apply_environment(workdir, config, server.url)
        _write_json(
            directory / "job.json",
            {"url": server.url, "workdir": str(workdir), "env": env, "written": written},
        )
        steps = []
        for args in (
            ["init", "-input=false", "-no-color"],
            ["apply", "-auto-approve", "-input=false", "-no-color", f"-parallelism={PARALLELISM}"],
        ):
            result = terraform.run(
                args, workdir, timeout=TERRAFORM_TIMEOUT, extra_env=env, unset=aws_variables(terraform), check=False
            )
            steps.append(dataclasses.asdict(result))
            if result.returncode != 0:
                break
        _write_json(directory / "result.json", {"steps": steps})
        while not (directory / "done").exists() and time.monotonic() - born < MAX_LIFETIME:
            time.sleep(0.5)
        return 0
    except BaseException:
        if not (directory / "result.json").exists():
            _write_json(directory / "result.json", {"error": traceback.format_exc()})
        raise
    finally:
        if server is not None:
            moto.stop(server.process)


# --- the test's side --------------------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    """The account as the job applied it."""

    url: str  # moto's
    workdir: Path
    env: dict[str, str]  # `apply_environment`'s
    written: dict[str, str]  # secret name -> the value the apply wrote
    steps: list[tfenv.TerraformResult]
    moto_log: Path

    @property
    def failed(self) -> tfenv.TerraformResult | None:
        return next((step for step in self.steps if step.returncode != 0), None)


class Job:
    """One session's job, in `directory`: whoever calls `start` first starts the process (the
    session's owner as soon as the test is collected, else the test itself)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        try:
            (self.directory / "claimed").mkdir()  # atomic: one process starts the job
        except FileExistsError:
            return
        tests = Path(__file__).resolve().parents[1]
        # From the repository, as `python -m pytest` runs, so the tfgen it imports is the tests' (and
        # its blueprints are found as the tests find them: through the venv's install of tfgen). The
        # repository on PYTHONPATH too: under PYTHONSAFEPATH `-m` does not put the working directory first.
        paths = [str(tests), str(tests.parent), os.environ.get("PYTHONPATH")]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, paths))}
        try:
            with (self.directory / "job.log").open("ab") as log:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "support.moto_apply", str(self.directory), str(os.getpid())],
                    cwd=tests.parent,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # `stop` takes terraform, the provider and moto down with it
                )
        except OSError:
            _write_json(self.directory / "result.json", {"error": traceback.format_exc()})
            return
        _write_json(self.directory / "pid", self.process.pid)

    def _running(self) -> bool | None:
        """Whether the job's process runs (None: its pid is not written yet)."""
        pid_path = self.directory / "pid"
        return processes.alive(json.loads(pid_path.read_text())) if pid_path.exists() else None

    def _failure(self, what: str) -> RuntimeError:
        log = moto.tail(self.directory / "job.log", 12000)
        return RuntimeError(f"the moto apply job {what}\n--- its log ---\n{log}")

    def wait(self, timeout: float = WAIT_SECONDS) -> Applied:
        """The applied account, once the job has run `terraform apply` (whatever its exit code)."""
        deadline = time.monotonic() + timeout
        result_path = self.directory / "result.json"
        while not result_path.exists():
            if not (self.directory / "claimed").exists():
                raise self._failure("was never started")
            if self._running() is False:
                if result_path.exists():
                    break
                raise self._failure("ended without a result")
            if time.monotonic() > deadline:
                raise self._failure(f"has not applied within {timeout:.0f} s")
            time.sleep(0.5)
        result = json.loads(result_path.read_text(encoding="utf-8"))
        if "error" in result:
            raise self._failure(f"stopped:\n{result['error']}")
        job = json.loads((self.directory / "job.json").read_text(encoding="utf-8"))
        return Applied(
            url=job["url"],
            workdir=Path(job["workdir"]),
            env=job["env"],
            written=job["written"],
            steps=[tfenv.TerraformResult(**step) for step in result["steps"]],
            moto_log=self.directory / "moto-server.log",
        )

    def stop(self) -> None:
        """moto is no longer needed: the job ends. One still applying (a session that ends before the
        test ran) is taken down at once, with terraform, the provider and moto."""
        (self.directory / "done").touch()
        if self.process is None:  # another process started it: wait for it to end (moto's log is complete)
            deadline = time.monotonic() + 15
            while self._running() and time.monotonic() < deadline:
                time.sleep(0.1)
            return
        if (self.directory / "result.json").exists():
            try:
                self.process.wait(timeout=15)  # it looks for `done` every 0.5 s
                return
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()


if __name__ == "__main__":
    sys.exit(run_job(Path(sys.argv[1]), int(sys.argv[2])))
