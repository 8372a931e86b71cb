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
    }
)


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
    return [providers, backend, *variables, *main]
