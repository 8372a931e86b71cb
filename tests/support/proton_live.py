"""A Proton deployment re-enacted on moto, and its migrated example root planned on the same state.

Test scaffolding, not part of tfgen. `deploy()` lays out a bundle part as Proton's provisioning ran
it: the part's files, Proton's generated `proton.<kind>.variables.tf` (inputs as `map(string)` or
`any`), `proton.auto.tfvars.json` (the deployment's values, schema defaults filled in, as Proton
filled them) and, in the test copy only, an override pointing the AWS provider at moto with local
state; then `terraform apply`. `prepare_example()` copies that state into a migrated example root;
`plan_root()` and `planned_changes()` plan it.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import yaml

from support import moto
from support import terraform as tfenv
from tfgen.hcl.quote import quote
from tfgen.migrate.proton.api import TYPE_KEYS
from tfgen.migrate.proton.bundle import PART_DIRS
from tfgen.migrate.proton.rewrite import INPUTS_OBJECT

OVERRIDE_NAME = "zz_moto_override.tf"
REGION = "eu-west-1"
ENDPOINTS = ("cloudwatchlogs", "ec2", "ecs", "iam", "kms", "s3", "sns", "ssm", "sts")


def override_text(endpoint: str) -> str:
    return f"{moto.OVERRIDE_HEAD}{moto.LOCAL_BACKEND}\n" + moto.provider_block(
        endpoint,
        ENDPOINTS,
        f"  region                      = {quote(REGION)}\n",
        "  skip_requesting_account_id  = true\n",
    )


# Proton's `service` object, as a self-managed deployment's proton.auto.tfvars.json holds it.
SERVICE = {
    "name": "web",
    "repository_id": "acme/web",
    "repository_connection_arn": "arn:aws:codestar-connections:eu-west-1:123456789012:connection/abc",
    "branch_name": "main",
}
# Proton declares its tags next to every part (AWS Proton User Guide, "Terraform IaC files").
PROTON_TAGS_DECLARATION = 'variable "proton_tags" {\n  type = map(string)\n  default = null\n}\n'


def proton_variables_text(kind: str, inputs_type: str) -> str:
    """What Proton generated next to the template: its declarations of the objects it passes."""
    return _objects_text(kind, inputs_type) + PROTON_TAGS_DECLARATION


def _objects_text(kind: str, inputs_type: str) -> str:
    environment = "object({\n    name   = string\n    inputs = " + inputs_type + "\n  })"
    if kind == "environment":
        return f'variable "environment" {{\n  type = {environment}\n  default = null\n}}\n'
    if kind == "instance":
        return (
            'variable "environment" {\n  type = object({\n    account_id = string\n    name = string\n'
            "    outputs = map(string)\n  })\n  default = null\n}\n"
            'variable "service" {\n  type = object({\n    name = string\n  })\n}\n'
            'variable "service_instance" {\n  type = object({\n    name = string\n    inputs = '
            + inputs_type
            + "\n  })\n  default = null\n}\n"
        )
    return (
        'variable "service_instances" {\n  type = list(object({\n    name = string\n    inputs = '
        + inputs_type
        + "\n    outputs = map(string)\n    environment = object({\n      account_id = string\n"
        "      name = string\n      outputs = map(string)\n    })\n  }))\n}\n"
        'variable "service" {\n  type = object({\n    name = string\n    branch_name = string\n'
        "    repository_connection_arn = string\n    repository_id = string\n  })\n  default = null\n}\n"
        'variable "pipeline" {\n  type = object({\n    inputs = ' + inputs_type + "\n  })\n  default = null\n}\n"
    )


def schema_defaults(bundle: Path, kind: str) -> dict[str, Any]:
    doc = yaml.safe_load((bundle / "schema" / "schema.yaml").read_text(encoding="utf-8"))["schema"]
    type_name = doc.get(TYPE_KEYS[kind])
    if type_name is None:
        return {}
    props = doc["types"][type_name].get("properties") or {}
    return {name: spec["default"] for name, spec in props.items() if isinstance(spec, dict) and "default" in spec}


def with_defaults(doc: dict[str, Any], bundle: Path, kinds: list[str]) -> dict[str, Any]:
    """The deployment's values as Proton passed them: every schema default filled in."""
    out = copy.deepcopy(doc)
    for kind in kinds:
        defaults = schema_defaults(bundle, kind)
        holder = out.get(INPUTS_OBJECT[kind])
        if isinstance(holder, dict):
            holder["inputs"] = {**defaults, **(holder.get("inputs") or {})}
        if kind == "pipeline":
            instance_defaults = schema_defaults(bundle, "instance")
            for instance in out.get("service_instances") or []:
                instance["inputs"] = {**instance_defaults, **(instance.get("inputs") or {})}
    return out


def deploy(
    terraform: tfenv.TerraformEnv,
    bundle: Path,
    kind: str,
    doc: dict[str, Any],
    inputs_type: str,
    endpoint: str,
    work: Path,
) -> Path:
    """Apply `bundle`'s part as Proton ran it; returns the directory holding terraform.tfstate."""
    root = work / "proton"
    shutil.copytree(bundle / PART_DIRS[kind], root, ignore=shutil.ignore_patterns("manifest.yaml"))
    declared = "\n".join(p.read_text(encoding="utf-8") for p in root.glob("*.tf"))
    if f'variable "{INPUTS_OBJECT[kind]}"' not in declared:  # a bundle may carry Proton's declaration
        (root / f"proton.{INPUTS_OBJECT[kind]}.variables.tf").write_text(
            proton_variables_text(kind, inputs_type), encoding="utf-8"
        )
    (root / "proton.auto.tfvars.json").write_text(json.dumps(doc, indent=2), encoding="utf-8")
    (root / OVERRIDE_NAME).write_text(override_text(endpoint), encoding="utf-8")
    terraform.run(["init", "-input=false", "-no-color"], root)
    terraform.run(["apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=16"], root)
    return root


def inputs_file(doc: dict[str, Any], kind: str, inputs_type: str | None, work: Path) -> Path:
    """The deployment's proton-inputs.json, with Proton's variables file beside it unless None."""
    where = work / "deployment"
    where.mkdir()
    path = where / "proton-inputs.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    if inputs_type is not None:
        (where / f"proton.{INPUTS_OBJECT[kind]}.variables.tf").write_text(
            proton_variables_text(kind, inputs_type), encoding="utf-8"
        )
    return path


def environment_outputs(endpoint: str, suffix: str) -> dict[str, str]:
    """What an environment deployment left for its service instances to read (`var.environment.outputs`):
    a VPC with a subnet, an ECS cluster and a task execution role, created on moto."""
    import boto3  # moto's own dependency; only the live tests need it

    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    ec2 = session.client("ec2", endpoint_url=endpoint)
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.1.0/24")["Subnet"]["SubnetId"]
    cluster = f"network-{suffix}"
    session.client("ecs", endpoint_url=endpoint).create_cluster(clusterName=cluster)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    role = session.client("iam", endpoint_url=endpoint).create_role(
        RoleName=f"task-execution-{suffix}", AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]["Arn"]
    return {"VpcId": vpc, "PrivateSubnetId": subnet, "ClusterName": cluster, "TaskExecutionRoleArn": role}


def plan_root(terraform: tfenv.TerraformEnv, root: Path) -> dict[str, Any]:
    """`terraform show -json` of a plan of `root` as it stands (initialized, its state beside it)."""
    plan = terraform.run(
        ["plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=cutover.tfplan"], root, check=False
    )
    assert plan.returncode in (0, 2), plan.describe()
    shown = terraform.run(["show", "-json", "cutover.tfplan"], root)
    return dict(json.loads(shown.stdout))


# `terraform plan -json` streams every planned change with its action and addresses (a pure move
# is "move"; a resource left as it is, no message) and every output's action: all that the
# moves-only proof reads. `terraform show -json` of a saved plan adds the values before and after,
# for one more process that loads hashicorp/aws 5.100's schemas (about 2 CPU s a plan): only a
# test that compares values runs it.
_NO_OP = {"move", "noop"}


def planned_changes(terraform: tfenv.TerraformEnv, root: Path) -> dict[str, Any]:
    """A plan of `root` as it stands (initialized, its state beside it), from `terraform plan -json`,
    in the shape of `terraform show -json`'s resource_changes and output_changes: addresses and
    actions, no values."""
    plan = terraform.run(["plan", "-json", "-input=false", "-no-color", "-detailed-exitcode"], root, check=False)
    assert plan.returncode in (0, 2), plan.describe()
    resource_changes: list[dict[str, Any]] = []
    output_changes: dict[str, Any] = {}
    for line in plan.stdout.splitlines():
        message = json.loads(line)
        if message["type"] == "planned_change":
            change = message["change"]
            resource_changes.append(
                {
                    "address": change["resource"]["addr"],
                    "previous_address": (change.get("previous_resource") or {}).get("addr"),
                    "mode": "data" if change["resource"]["resource"].startswith("data.") else "managed",
                    "change": {"actions": ["no-op"] if change["action"] in _NO_OP else [change["action"]]},
                }
            )
        elif message["type"] == "outputs":
            output_changes = {
                name: {"actions": ["no-op"] if output["action"] in _NO_OP else [output["action"]]}
                for name, output in message["outputs"].items()
            }
    return {"resource_changes": resource_changes, "output_changes": output_changes}


def prepare_example(
    terraform: tfenv.TerraformEnv,
    example: Path,
    state_dir: Path,
    endpoint: str,
    variables: dict[str, Any] | None = None,
) -> None:
    """Put the deployment's state beside the migrated example root, point it at moto and init it
    (`variables`: values for what the example root declares, as terraform.tfvars.json)."""
    shutil.copy(state_dir / "terraform.tfstate", example / "terraform.tfstate")
    (example / OVERRIDE_NAME).write_text(override_text(endpoint), encoding="utf-8")
    if variables:
        (example / "terraform.tfvars.json").write_text(json.dumps(variables), encoding="utf-8")
    terraform.run(["init", "-input=false", "-no-color"], example)


def changes_other_than_moves(plan: dict[str, Any], original: dict[str, Any] | None = None) -> list[str]:
    """Every planned change that is not a pure move (a no-op at a new address), and every output
    change. `original`: a plan of Proton's own root on the same state; a change it plans too
    (the same actions, before and after, at the address the resource moved from) is the
    emulator's, not the migration's, and is left out."""
    own = {c["address"]: c["change"] for c in (original or {}).get("resource_changes", [])}
    problems = []
    for change in plan.get("resource_changes", []):
        if change.get("mode") != "managed":
            continue
        actions = change["change"]["actions"]
        before = own.get(change.get("previous_address") or change["address"])
        if actions != ["no-op"] and not (
            before is not None
            and [before[k] for k in ("actions", "before", "after")]
            == [change["change"][k] for k in ("actions", "before", "after")]
        ):
            problems.append(f"{change['address']}: {actions}")
    for name, change in (plan.get("output_changes") or {}).items():
        if change["actions"] != ["no-op"]:
            problems.append(f"output {name}: {change['actions']} {change.get('before')!r} -> {change.get('after')!r}")
    return problems


def moves(plan: dict[str, Any]) -> dict[str, str]:
    return {
        c["previous_address"]: c["address"]
        for c in plan.get("resource_changes", [])
        if c.get("previous_address") and c["previous_address"] != c["address"]
    }


def state_instances(state_dir: Path) -> set[str]:
    """Addresses of every managed resource instance in the deployment's state."""
    state = json.loads((state_dir / "terraform.tfstate").read_text(encoding="utf-8"))
    found = set()
    for resource in state["resources"]:
        if resource["mode"] != "managed":
            continue
        base = f"{resource['type']}.{resource['name']}"
        if "module" in resource:
            base = f"{resource['module']}.{base}"
        for instance in resource["instances"]:
            key = instance.get("index_key")
            found.add(base if key is None else f"{base}[{json.dumps(key)}]")
    return found


def state_attributes(state_dir: Path, address: str) -> dict[str, Any]:
    """The attributes of the single instance of a root resource in the deployment's state."""
    state = json.loads((state_dir / "terraform.tfstate").read_text(encoding="utf-8"))
    for resource in state["resources"]:
        if f"{resource['type']}.{resource['name']}" == address and "module" not in resource:
            return dict(resource["instances"][0]["attributes"])
    raise KeyError(address)
