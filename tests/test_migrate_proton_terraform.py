"""The migrated modules, proven with the real tools: `terraform fmt`, `init -backend=false` from the
provider mirror, `validate` for every module and example root; the schema's validation blocks
run by `terraform plan`; `tfgen validate` (with checkov) still reports what the bundle got wrong.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support import terraform as tfenv
from typer.testing import CliRunner

from tfgen.cli import app

runner = CliRunner()
BUNDLES = Path(__file__).resolve().parent / "proton_bundles"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("migrated")
    for name, inputs in (
        ("env_network", "proton-inputs.json"),
        ("svc_web", "proton-inputs.json"),
        ("svc_web_spec", "spec.yaml"),
    ):
        bundle = BUNDLES / name.removesuffix("_spec")
        result = runner.invoke(
            app,
            [
                "migrate",
                "proton",
                str(bundle / "v1"),
                "--out",
                str(root / name),
                "--inputs",
                str(bundle / inputs),
                "--skip-checkov",
            ],
        )
        assert result.exit_code in (0, 1), result.output
    return root


def module_dirs(root: Path) -> list[Path]:
    return sorted({p.parent for p in root.rglob("*.tf")})


@pytest.mark.terraform
def test_generated_files_are_terraform_fmt_canonical(terraform_env: tfenv.TerraformEnv, migrated: Path) -> None:
    result = terraform_env.run(["fmt", "-check", "-recursive", "-no-color"], migrated, check=False)
    # The test bundles are fmt-clean except one line written oddly on purpose, which tfgen keeps.
    assert result.stdout.split() == ["env_network/main.tf"], result.describe()


def init_and_validate(terraform_env: tfenv.TerraformEnv, root: Path) -> None:
    init = terraform_env.run(["init", "-backend=false", "-input=false", "-no-color"], root, check=False)
    assert init.returncode == 0, init.describe()
    result = terraform_env.run(["validate", "-json", "-no-color"], root, check=False)
    report = json.loads(result.stdout)
    assert report["valid"] is True and report["warning_count"] == 0, (root, json.dumps(report["diagnostics"], indent=1))


@pytest.mark.terraform
def test_every_module_and_example_validates_offline(
    terraform_env: tfenv.TerraformEnv, migrated: Path, tmp_path: Path
) -> None:
    # Copy each migrated tree whole so an example's ../.. source resolves in the copy.
    copy = tmp_path / "copy"
    for tree in sorted(migrated.iterdir()):
        tfenv.copy_tree(tree, copy / tree.name)
    dirs = [d.resolve() for d in module_dirs(copy)]
    assert len(dirs) == 8, dirs  # env + example, instance + pipeline + example, instance + pipeline + example
    # A module an example calls is validated there (tfenv.called_module_dirs). Only a module no
    # example calls (svc_web's pipeline: its deployment file names no pipeline) is validated on
    # its own. Four init + validate instead of eight: each pair loads hashicorp/aws 5.100 (about
    # 2.7 CPU s).
    examples = [d for d in dirs if d.parent.name == "examples"]
    assert len(examples) == 3, examples
    covered: set[Path] = set()
    for example in examples:
        init_and_validate(terraform_env, example)
        covered |= {example} | tfenv.called_module_dirs(example)
    alone = [d for d in dirs if d not in covered]
    for module in alone:
        init_and_validate(terraform_env, module)


PLAN_CASES = [
    ({"team": "platform", "environment_name": "prod", "endpoint": {"service": "s3", "private_dns": True}}, None),
    ({"team": "Platform", "environment_name": "prod"}, "team must match the pattern"),
    ({"team": "platform", "environment_name": "prod", "tier": "qa"}, "tier must be one of: dev, prod"),
    ({"team": "platform", "environment_name": "prod", "nat_gateways": 4}, "nat_gateways must be at most 3"),
    ({"team": "platform", "environment_name": "prod", "nat_gateways": 1.5}, "nat_gateways must be a whole number"),
    ({"team": "platform", "environment_name": "prod", "flow_log_ratio": 0}, "flow_log_ratio must be greater than 0"),
    (
        {"team": "platform", "environment_name": "prod", "name_suffix": "x"},
        "name_suffix must have at least 2 characters",
    ),
    (
        {"team": "platform", "environment_name": "prod", "availability_zones": []},
        "availability_zones must have at least 1 items",
    ),
    (
        {"team": "platform", "environment_name": "prod", "availability_zones": ["mars-1a"]},
        "each item of availability_zones must match",
    ),
    ({"team": "platform", "environment_name": "prod", "vpc_cidr": "10.0.0.0/8"}, "vpc_cidr must match the pattern"),
    (
        {"team": "platform", "environment_name": "prod", "endpoint": {"private_dns": True}},
        "endpoint must be a value of the schema's type",
    ),
    (
        {"team": "platform", "environment_name": "prod", "endpoint": {"service": "s3", "private_dns": "yes"}},
        "endpoint must be a value of the schema's type",
    ),
    ({}, "No value for required variable"),
]


@pytest.mark.terraform
def test_schema_constraints_are_enforced_by_terraform(
    terraform_env: tfenv.TerraformEnv, migrated: Path, tmp_path: Path
) -> None:
    # variables.tf alone is a root with no resources: `terraform plan` evaluates every validation
    # block offline, without a provider.
    for i, (values, expected) in enumerate(PLAN_CASES):
        work = tmp_path / str(i)
        work.mkdir()
        shutil.copy(migrated / "env_network" / "variables.tf", work / "variables.tf")
        (work / "case.auto.tfvars.json").write_text(json.dumps(values), encoding="utf-8")
        terraform_env.run(["init", "-backend=false", "-input=false", "-no-color"], work)
        plan = terraform_env.run(["plan", "-input=false", "-no-color", "-lock=false"], work, check=False)
        if expected is None:
            assert plan.returncode == 0, plan.describe()
        else:
            assert plan.returncode != 0 and expected in " ".join(plan.stderr.split()), (values, plan.describe())


@pytest.mark.checkov
def test_findings_of_the_bundle_survive_the_migration(tmp_path: Path) -> None:
    from support.validate import checkov_or_skip

    checkov = checkov_or_skip()
    out = tmp_path / "network"
    result = runner.invoke(
        app, ["migrate", "proton", str(BUNDLES / "env_network" / "v1"), "--out", str(out), "--checkov", str(checkov)]
    )
    assert result.exit_code == 1, result.output  # as `tfgen validate`: a failed finding
    assert "TFGEN_ENC_3" in result.output and "aws_sns_topic.alerts" in result.output
    report = runner.invoke(app, ["validate", str(out), "--format", "json", "--checkov", str(checkov), "--no-cache"])
    findings = json.loads(report.stdout)["findings"]
    failed = {(f["id"], f["resource"]) for f in findings if f["status"] == "failed"}
    assert ("TFGEN_ENC_3", "aws_sns_topic.alerts") in failed
    assert any(f["engine"] == "checkov" for f in findings)
