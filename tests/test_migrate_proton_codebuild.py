"""CodeBuild-provisioned bundles: a Terraform one migrates like the others (its own declaration of
Proton's object says how the inputs were passed, the README keeps the commands CodeBuild ran);
a CDK or Pulumi one is refused in one line naming the manifest's line, exit 2, nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.in_process_cli import refused
from typer.testing import CliRunner

from tfgen.cli import app

runner = CliRunner()
BUNDLE = Path(__file__).resolve().parent / "proton_bundles" / "codebuild_env"


def migrate(*args: str):
    return runner.invoke(app, ["migrate", "proton", *args, "--skip-checkov"])


def test_a_codebuild_terraform_bundle_migrates_with_its_commands_recorded(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = migrate(str(BUNDLE / "v1"), "--out", str(out), "--inputs", str(BUNDLE / "proton-inputs.json"))
    assert result.exit_code == 0, result.output
    assert "tfgen: note:" not in result.output  # the bundle declares inputs = map(string) itself
    main = (out / "main.tf").read_text(encoding="utf-8")
    assert "retention = tostring(var.retention_days)" in main and 'backend "s3"' not in main
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "terraform apply -var-file=proton-inputs.json -auto-approve" in readme
    assert 'declared by the bundle\'s own variable "environment" in variables.tf' in readme
    moved = (out / "examples" / "cb-prod" / "moved.tf").read_text(encoding="utf-8")
    assert "from = module.logs\n  to   = module.environment.module.logs\n" in moved


CDK = """infrastructure:
  templates:
    - rendering_engine: codebuild
      settings:
        image: aws/codebuild/amazonlinux2-x86_64-standard:4.0
        provision:
          - npm install
          - npx cdk deploy --require-approval never
"""
PULUMI = CDK.replace("npx cdk deploy --require-approval never", "pulumi up --yes")


@pytest.mark.parametrize(
    ("manifest", "expected"), [(CDK, "runs cdk, not Terraform"), (PULUMI, "runs pulumi, not Terraform")]
)
def test_cdk_and_pulumi_bundles_are_refused_in_one_line(tmp_path: Path, manifest: str, expected: str) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(BUNDLE / "v1", bundle)
    (bundle / "infrastructure" / "manifest.yaml").write_text(manifest, encoding="utf-8")
    line = refused(migrate(str(bundle), "--out", str(tmp_path / "o")))
    assert f"infrastructure/manifest.yaml:6: a CodeBuild-provisioned bundle that {expected}" in line, line
    assert not (tmp_path / "o").exists()
