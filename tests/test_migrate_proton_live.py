"""Cut-over on a live deployment: the migrated example root, planned on the state Proton's
deployment left behind, moves every resource and changes nothing else.

Each case applies a test bundle as Proton ran it (its files, Proton's `proton.<kind>.variables.tf`
with `inputs = map(string)` or `inputs = any`, `proton.auto.tfvars.json`) against a moto server on
loopback, migrates the bundle with the same deployment file as `--inputs`, copies the state into
the example root and runs `terraform plan`: only moves, every instance of the state moved (counted
and for_each ones included), no output changed.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

import pytest
from support import proton_live
from support import terraform as tfenv
from typer.testing import CliRunner

from tfgen.cli import app

pytestmark = [pytest.mark.terraform, pytest.mark.moto]

runner = CliRunner()
BUNDLES = Path(__file__).resolve().parent / "proton_bundles"

TWO_INSTANCES = {
    "service": proton_live.SERVICE,
    "pipeline": {"inputs": {"dockerfile": "Dockerfile.web"}},
    "service_instances": [
        {
            "name": name,
            "inputs": {"port": port, "image": "public.ecr.aws/nginx/nginx:1.27"},
            "outputs": {},
            "environment": {"account_id": "123456789012", "name": env, "outputs": {}},
        }
        for name, port, env in (("web-dev", 8081, "network-dev"), ("web-prod", 80, "network-prod"))
    ],
}

# (case id, bundle, part, deployment file, Proton's inputs type, file beside --inputs)
CASES = [
    ("flags-map-string", "env_flags", "environment", None, "map(string)", True),
    ("flags-any", "env_flags", "environment", None, "any", True),
    ("network-any", "env_network", "environment", None, "any", False),
    ("codebuild-own-declaration", "codebuild_env", "environment", None, "map(string)", False),
    ("pipeline-two-instances", "svc_web", "pipeline", TWO_INSTANCES, "map(string)", True),
]


def _doc(bundle: str, given: dict[str, Any] | None) -> dict[str, Any]:
    if given is not None:
        return given
    return dict(json.loads((BUNDLES / bundle / "proton-inputs.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("bundle", "kind", "given", "inputs_type", "beside"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_first_plan_after_cut_over_shows_moves_only(
    terraform_env: tfenv.TerraformEnv,
    moto_server: str,
    tmp_path: Path,
    bundle: str,
    kind: str,
    given: dict[str, Any] | None,
    inputs_type: str,
    beside: bool,
) -> None:
    source = BUNDLES / bundle / "v1"
    kinds = [kind] if kind != "pipeline" else ["pipeline"]
    doc = proton_live.with_defaults(_doc(bundle, given), source, kinds)
    # Names of what the bundles create are unique per case: one moto server serves the session.
    suffix = secrets.token_hex(3)
    if "environment" in doc:
        doc["environment"]["name"] = f"{doc['environment']['name']}-{suffix}"
    if "service" in doc:
        doc["service"]["name"] = f"{doc['service']['name']}-{suffix}"
    state = proton_live.deploy(terraform_env, source, kind, doc, inputs_type, moto_server, tmp_path)

    out = tmp_path / "migrated"
    spec = proton_live.inputs_file(doc, kind, inputs_type if beside else None, tmp_path)
    result = runner.invoke(
        app, ["migrate", "proton", str(source), "--out", str(out), "--inputs", str(spec), "--skip-checkov"]
    )
    assert result.exit_code in (0, 1), result.output
    examples = sorted((out / "examples").iterdir())
    assert len(examples) == 1, examples

    proton_live.prepare_example(terraform_env, examples[0], state, moto_server)
    plan = proton_live.planned_changes(terraform_env, examples[0])
    assert proton_live.changes_other_than_moves(plan) == []
    moved = proton_live.moves(plan)
    call = {"environment": "environment", "instance": "instance", "pipeline": "pipeline"}[kind]
    instances = proton_live.state_instances(state)
    assert instances, "the deployment created nothing"
    assert moved == {address: f"module.{call}.{address}" for address in instances}


def test_an_ecs_service_instance_plans_moves_only(
    terraform_env: tfenv.TerraformEnv, moto_server: str, tmp_path: Path
) -> None:
    """svc_web's instance (a security group tagged with Proton's tags, a Fargate task definition
    and an ECS service) on the outputs of an environment created on moto, inputs as `any` (under
    `map(string)` the bundle's own `jsonencode` hands ECS a string port, which the provider
    rejects: that deployment never ran). moto's DescribeServices omits
    availabilityZoneRebalancing, so Proton's own root plans that one update on its own state: the
    migrated root must plan the same and nothing else."""
    suffix = secrets.token_hex(3)
    doc = proton_live.with_defaults(
        {
            "service": {"name": f"web-{suffix}"},
            "service_instance": {"name": "web-prod", "inputs": {"port": 80}},
            "environment": {
                "name": f"network-{suffix}",
                "account_id": "123456789012",
                "outputs": proton_live.environment_outputs(moto_server, suffix),
            },
            "proton_tags": {
                "proton:account": "123456789012",
                "proton:template": "arn:aws:proton:eu-west-1:123456789012:service-template/web",
                "proton:service": f"arn:aws:proton:eu-west-1:123456789012:service/web-{suffix}",
            },
            "log_level": "info",  # the bundle's own variable, which a self-managed pipeline set
        },
        BUNDLES / "svc_web" / "v1",
        ["instance"],
    )
    source = BUNDLES / "svc_web" / "v1"
    state = proton_live.deploy(terraform_env, source, "instance", doc, "any", moto_server, tmp_path)
    original = proton_live.plan_root(terraform_env, state)

    out = tmp_path / "migrated"
    spec = proton_live.inputs_file(doc, "instance", "any", tmp_path)
    result = runner.invoke(
        app, ["migrate", "proton", str(source), "--out", str(out), "--inputs", str(spec), "--skip-checkov"]
    )
    assert result.exit_code in (0, 1), result.output
    (example,) = sorted((out / "examples").iterdir())
    proton_live.prepare_example(terraform_env, example, state, moto_server, {"log_level": "info"})
    plan = proton_live.plan_root(terraform_env, example)
    assert proton_live.changes_other_than_moves(plan, original) == []
    instances = proton_live.state_instances(state)
    assert len(instances) == 3, instances
    assert proton_live.moves(plan) == {address: f"module.instance.{address}" for address in instances}
    tagged = proton_live.state_attributes(state, "aws_security_group.service")["tags"]
    assert tagged == {**doc["proton_tags"], "Name": f"web-{suffix}-web-prod"}
