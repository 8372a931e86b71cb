"""The modules are plain Terraform where they lie: `terraform fmt` and `tfgen validate` read them in place, init
copies them verbatim; every file the answers do not shape is proved here, once, not at every init."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import terraform_grammar
from support.subprocess_cli import tfgen

from tfgen.errors import InternalError
from tfgen.init import blueprint_model
from tfgen.init.config import build_config
from tfgen.init.render import answer_paths, blueprint_root, render_baseline
from tfgen.init.verify import verify_rendered

MODULES = blueprint_root() / "modules"


def test_modules_hold_no_templates() -> None:
    assert sorted(p.name for p in MODULES.rglob("*.j2")) == []
    assert sorted(p.name for p in MODULES.iterdir() if p.is_dir() and not p.name.startswith("_")) == [
        "account_audit",
        "account_encryption",
        "account_iam",
        "cloudtrail",
        "iam",
        "kms",
        "s3",
        "secrets",
    ]


@pytest.mark.skipif(terraform_grammar.skip_reason() is not None, reason=terraform_grammar.skip_reason() or "")
def test_terraform_fmt_finds_the_modules_canonical_in_place() -> None:
    result = terraform_grammar.check_tree(MODULES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_tfgen_validate_passes_the_modules_in_place(tmp_path: Path) -> None:
    result = tfgen("validate", "--skip-checkov", "--no-cache", "--require-files", str(MODULES), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASSED: 24 files" in result.stdout + result.stderr


def test_init_copies_the_modules_byte_for_byte() -> None:
    files = render_baseline(build_config({"account_id": "123456789012", "region": "eu-west-1", "name": "acme"}))
    sources = {
        p.relative_to(blueprint_root()).as_posix(): p
        for p in MODULES.rglob("*")
        if p.is_file() and p.suffix in (".tf", ".md")
    }
    assert sources and all(files[rel].encode("utf-8") == path.read_bytes() for rel, path in sources.items())
    # versions.tf is rendered once from tfgen.init.facts: the root and every module pin the same
    assert {files[f"modules/{m}/versions.tf"] for m in blueprint_model.MODULES} == {files["versions.tf"]}


# Two sets of answers that differ in every answer (partition, Proton roles and tags included).
DIFFERENT_ANSWERS = (
    ({"account_id": "123456789012", "region": "eu-west-1", "name": "acme"}, {}),
    (
        {"account_id": "210987654321", "region": "cn-north-1", "name": "other-name"},
        {
            "create_pipeline_role": True,
            "create_codebuild_role": True,
            "create_component_role": True,
            "environment_account_ids": ["111111111111"],
            "key_administrator_arns": ["arn:aws-cn:iam::210987654321:role/admin"],
            "key_user_arns": ["arn:aws-cn:iam::210987654321:role/user"],
            "log_retention_days": 400,
            "noncurrent_version_retention_days": 400,
            "enable_s3_data_events": True,
            "provisioned_services": ["ecs"],
            "secret_names": ["s/x"],
            "secure_parameter_names": ["/p/x"],
            "state_key": "other/terraform.tfstate",
            "tags": {"Team": "x"},
            "regions": ["cn-northwest-1"],
            "access_analyzer": False,
            "config_recorder": False,
            "guardduty": False,
            "security_hub": False,
            "cis_alarms": False,
            "alarm_email": "security@example.com",
        },
    ),
)


def test_only_the_answer_paths_differ_between_renders_of_different_answers() -> None:
    first, second = (render_baseline(build_config(*answers)) for answers in DIFFERENT_ANSWERS)
    assert set(first) == set(second)
    assert {path for path in first if first[path] != second[path]} == answer_paths()


@pytest.mark.parametrize("answers", DIFFERENT_ANSWERS, ids=["aws", "aws-cn"])
def test_the_files_no_answer_shapes_parse_back_and_match_the_model(answers: tuple[dict, dict]) -> None:
    """What `tfgen init` does not prove at run time (the modules, main.tf, outputs.tf, ...) is proved here."""
    config = build_config(*answers)
    files = render_baseline(config)
    static = [path for path in files if path not in answer_paths()]
    parsed = verify_rendered(files, config, only=static)
    assert "modules/kms/main.tf" in parsed and "versions.tf" in parsed and "backend.tf" not in parsed


def test_a_gap_in_the_proof_is_told_in_terraform_text_not_python_repr() -> None:
    config = build_config(*DIFFERENT_ANSWERS[0])
    files = render_baseline(config)
    files["main.tf"] = files["main.tf"].replace(
        "log_retention_days        = var.log_retention_days", "log_retention_days        = 30"
    )
    with pytest.raises(InternalError) as raised:
        verify_rendered(files, config, only=["main.tf"])
    message = str(raised.value)
    assert "log_retention_days is 30, expected var.log_retention_days" in message, message
    assert "Expr(" not in message
