"""The answers the real-Terraform proofs render from, for moto's account (so the rendered ARNs are
the ones moto creates): tests/conftest.py's `baseline_config` / `full_baseline_config` fixtures,
and the moto apply's own process (support/moto_apply.py), which has no fixtures."""

from __future__ import annotations

from support.moto import ACCOUNT_ID
from tfgen.init.config import BaselineConfig, validate

REGION = "eu-west-1"
NAME = "tfgen-test"


def required_config() -> BaselineConfig:
    """Required answers only (every other field at its default)."""
    return validate(BaselineConfig(account_id=ACCOUNT_ID, region=REGION, name=NAME))


def full_config() -> BaselineConfig:
    """Every optional resource switched on: all Proton roles, data events, secrets, parameters, a
    second region for the regional services, an alarm email."""
    return validate(
        BaselineConfig(
            account_id=ACCOUNT_ID,
            region=REGION,
            name=NAME,
            key_administrator_arns=(f"arn:aws:iam::{ACCOUNT_ID}:role/tfgen-test-key-admin",),
            key_user_arns=(f"arn:aws:iam::{ACCOUNT_ID}:role/tfgen-test-key-user",),
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
