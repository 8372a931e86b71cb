"""The root module: the files that depend on the answers (`cfg`, a `BaselineConfig`)."""

from __future__ import annotations

from typing import Any

from tfgen.hcl.values import Expr, Template
from tfgen.init import facts
from tfgen.init.blueprint_model.expect import Expect

ADDRESSES = frozenset(
    {
        "data.aws_partition.current",
        "module.iam",
        "module.kms",
        "module.access_logs_bucket",
        "module.audit_bucket",
        "module.artifacts_bucket",
        "module.state_bucket",
        "module.cloudtrail",
        "module.secrets",
        "module.account_iam",
        "module.account_encryption",
        "module.account_audit",
    }
)
# The module calls each region other than the home region adds (`_<region key>`).
REGIONAL_MODULES = ("account_iam", "account_encryption", "account_audit")


def addresses(cfg: Any) -> frozenset[str]:
    """Every address main.tf declares for these answers: the fixed ones and each extra region's module calls."""
    extra = {
        f"module.{module}_{facts.region_key(region)}" for region in cfg.all_regions[1:] for module in REGIONAL_MODULES
    }
    return ADDRESSES | extra


def _regional(cfg: Any, region: str | None) -> list[Expect]:
    """The three account-baseline module calls of one region (None: the home region, default provider)."""
    suffix = "" if region is None else f"_{facts.region_key(region)}"
    common: dict[str, Any] = {"name": Expr("var.name"), "partition": Expr("local.partition")}
    if region is None:
        placement: dict[str, Any] = {"account_wide": True}
        region_value: Any = Expr("var.region")
    else:
        placement = {"account_wide": False, "providers.aws": Expr(f"aws.{facts.region_key(region)}")}
        region_value = region
    audit: dict[str, Any] = {
        "source": "./modules/account_audit",
        **common,
        **placement,
        "region": region_value,
        "kms_key_arn": Expr("module.kms.audit_key_arn"),
        "create_config_recorder": Expr("var.config_recorder"),
        "audit_bucket_name": Expr("module.audit_bucket.bucket_id"),
        "create_guardduty": Expr("var.guardduty"),
        "create_security_hub": Expr("var.security_hub"),
    }
    if region is None:
        audit |= {
            "create_cis_alarms": Expr("var.cis_alarms"),
            "cloudtrail_log_group_name": Expr("local.log_group_name"),
            "alarm_topic_name": Expr("local.alarm_topic_name"),
            "alarm_email": Expr("var.alarm_email"),
        }
    else:
        audit |= {"create_cis_alarms": False, "config_role_arn": Expr("module.account_audit.config_role_arn")}
    return [
        Expect(
            "main.tf",
            ("module", f"account_iam{suffix}"),
            {
                "source": "./modules/account_iam",
                **common,
                **placement,
                "support_trusted_principal_arns": [Template("arn:${local.partition}:iam::${var.account_id}:root")],
                "create_access_analyzer": Expr("var.access_analyzer"),
            },
        ),
        Expect(
            "main.tf",
            ("module", f"account_encryption{suffix}"),
            {
                "source": "./modules/account_encryption",
                **common,
                **placement,
                "account_id": Expr("var.account_id"),
                "region": region_value,
                "key_administrator_arns": Expr("var.key_administrator_arns"),
            },
        ),
        Expect("main.tf", ("module", f"account_audit{suffix}"), audit),
    ]


def expectations(cfg: Any) -> list[Expect]:
    providers = Expect(
        "providers.tf",
        ("provider", "aws"),
        {
            "region": Expr("var.region"),
            "allowed_account_ids": [Expr("var.account_id")],
            "default_tags.tags": Expr('merge(var.tags, {ManagedBy = "tfgen"})'),
        },
    )
    backend = Expect(
        "backend.tf",
        ("terraform",),
        {
            "backend.s3.bucket": facts.state_bucket_name(cfg.name, cfg.account_id, cfg.region),
            "backend.s3.key": cfg.state_key,
            "backend.s3.region": cfg.region,
            "backend.s3.encrypt": True,
            "backend.s3.kms_key_id": facts.state_key_alias_arn(cfg.partition, cfg.region, cfg.account_id, cfg.name),
            "backend.s3.use_lockfile": True,
        },
    )
    aliases = [
        Expect(
            "providers.tf",
            ("provider", "aws"),
            {
                "alias": facts.region_key(region),
                "region": region,
                "allowed_account_ids": [Expr("var.account_id")],
                "default_tags.tags": Expr('merge(var.tags, {ManagedBy = "tfgen"})'),
            },
            nth=nth,
        )
        for nth, region in enumerate(cfg.all_regions[1:], start=1)
    ]
    defaults: dict[str, Any] = {
        "account_id": cfg.account_id,
        "region": cfg.region,
        "name": cfg.name,
        "key_administrator_arns": sorted(cfg.key_administrator_arns),
        "key_user_arns": sorted(cfg.key_user_arns),
        "log_retention_days": cfg.log_retention_days,
        "noncurrent_version_retention_days": cfg.noncurrent_version_retention_days,
        "enable_s3_data_events": cfg.enable_s3_data_events,
        "create_codebuild_role": cfg.create_codebuild_role,
        "create_pipeline_role": cfg.create_pipeline_role,
        "create_component_role": cfg.create_component_role,
        "environment_account_ids": sorted(cfg.environment_account_ids),
        "provisioned_services": sorted(cfg.provisioned_services),
        "secret_names": sorted(cfg.secret_names),
        "secure_parameter_names": sorted(cfg.secure_parameter_names),
        "access_analyzer": cfg.access_analyzer,
        "config_recorder": cfg.config_recorder,
        "guardduty": cfg.guardduty,
        "security_hub": cfg.security_hub,
        "cis_alarms": cfg.cis_alarms,
        "alarm_email": cfg.alarm_email or None,
        "tags": dict(sorted(cfg.tags.items())),
    }
    variables = [Expect("variables.tf", ("variable", name), {"default": value}) for name, value in defaults.items()]
    # The example inputs show exactly the same answers as the defaults.
    variables.append(Expect("terraform.tfvars.example", (), dict(defaults)))

    main = [
        Expect("main.tf", ("data", "aws_partition", "current"), {}),
        Expect(
            "main.tf",
            ("module", "iam"),
            {
                "source": "./modules/iam",
                "account_id": Expr("var.account_id"),
                "region": Expr("var.region"),
                "partition": Expr("local.partition"),
                "persona_trusted_principal_arns": [Template("arn:${local.partition}:iam::${var.account_id}:root")],
                "create_codebuild_role": Expr("var.create_codebuild_role"),
                "create_pipeline_role": Expr("var.create_pipeline_role"),
                "create_component_role": Expr("var.create_component_role"),
                "environment_account_ids": Expr("var.environment_account_ids"),
                "provisioned_services": Expr("var.provisioned_services"),
            },
        ),
        Expect(
            "main.tf",
            ("module", "kms"),
            {
                "source": "./modules/kms",
                "key_administrator_arns": Expr("var.key_administrator_arns"),
                "key_user_arns": Expr("var.key_user_arns"),
                "template_admin_role_arns": [Expr("module.iam.platform_admin_role_arn")],
                "cloudtrail_trail_arn": Expr("local.trail_arn"),
                "cloudwatch_log_group_name": Expr("local.log_group_name"),
                "sns_topic_name": Expr("local.sns_topic_name"),
                "alarm_sns_topic_name": Expr("var.cis_alarms ? local.alarm_topic_name : null"),
            },
        ),
        # The one bucket without SSE-KMS and without access logging: the access-log target.
        Expect(
            "main.tf",
            ("module", "access_logs_bucket"),
            {"source": "./modules/s3", "kms_key_arn": None, "access_logging": None},
        ),
        Expect(
            "main.tf",
            ("module", "audit_bucket"),
            {
                "source": "./modules/s3",
                "kms_key_arn": Expr("module.kms.audit_key_arn"),
                "cloudtrail_trail_arn": Expr("local.trail_arn"),
                "access_logging.target_bucket": Expr("module.access_logs_bucket.bucket_id"),
                "noncurrent_version_expiration_days": Expr("var.noncurrent_version_retention_days"),
            },
        ),
        Expect(
            "main.tf",
            ("module", "artifacts_bucket"),
            {
                "source": "./modules/s3",
                "kms_key_arn": Expr("module.kms.artifacts_key_arn"),
                "access_logging.target_bucket": Expr("module.access_logs_bucket.bucket_id"),
            },
        ),
        Expect(
            "main.tf",
            ("module", "state_bucket"),
            {
                "source": "./modules/s3",
                "kms_key_arn": Expr("module.kms.state_key_arn"),
                "access_logging.target_bucket": Expr("module.access_logs_bucket.bucket_id"),
            },
        ),
        Expect(
            "main.tf",
            ("module", "cloudtrail"),
            {
                "source": "./modules/cloudtrail",
                "name": Expr("local.trail_name"),
                "s3_bucket_name": Expr("module.audit_bucket.bucket_id"),
                "kms_key_arn": Expr("module.kms.audit_key_arn"),
                "log_retention_days": Expr("var.log_retention_days"),
                "s3_data_event_bucket_arns": Expr(
                    "var.enable_s3_data_events ? [module.artifacts_bucket.bucket_arn] : []"
                ),
            },
        ),
        Expect(
            "main.tf",
            ("module", "secrets"),
            {
                "source": "./modules/secrets",
                "kms_key_arn": Expr("module.kms.secrets_key_arn"),
                "secret_names": Expr("var.secret_names"),
                "secure_parameter_names": Expr("var.secure_parameter_names"),
            },
        ),
    ]
    main += _regional(cfg, None)
    for region in cfg.all_regions[1:]:
        main += _regional(cfg, region)
    return [providers, *aliases, backend, *variables, *main]
