"""What the blueprints mean: the model a render is compared with after python-hcl2 parses it back.

`tfgen.init.verify` parses every rendered HCL file once and checks two things against this module:

* `resource_addresses(cfg)`: per file, the exact set of addresses it declares (`type.name`,
  `data.type.name`, `ephemeral.type.name`, `module.name`). Files listed with an empty set must
  declare none.
* `expectations(cfg)`: per block, the security-relevant attributes and their values.

Attribute paths are dotted; a nested block is named by its type (`rule.apply_server_side_
encryption_by_default.sse_algorithm`), `name[i]` picks the i-th repetition of a block (static
blocks and `dynamic` blocks are counted separately, as python-hcl2 lists them separately), and
`dynamic[i].statement.content.actions` reaches into a dynamic block. Literal strings are given
unquoted; expressions exactly as python-hcl2 8.x prints them (`${var.x}`, and a template such
as `"arn:${var.partition}:..."` keeps its quotes because it is not a plain literal).

Only the root files depend on the answers (`cfg`); the modules are static Terraform, so their
expectations are the same for every render.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PROVIDER_SOURCE = "hashicorp/aws"
PROVIDER_VERSION = ">= 5.100, < 6.0"
REQUIRED_VERSION = ">= 1.11"

ROOT_FILES = ("versions.tf", "providers.tf", "backend.tf", "main.tf", "variables.tf", "outputs.tf", "terraform.tfvars.example")
MODULES = ("kms", "s3", "cloudtrail", "iam", "secrets")
MODULE_FILES = ("main.tf", "variables.tf", "outputs.tf", "versions.tf")

# The generated .gitignore, pattern for pattern (comments and blank lines aside): what a Terraform
# run and README's bootstrap leave in the tree. Never `.terraform.lock.hcl`, which HashiCorp says to
# commit; tests/test_init_gitignore.py asks `git check-ignore` what these patterns ignore.
GITIGNORE = ".gitignore"
GITIGNORE_PATTERNS = (
    ".terraform/",
    "*.tfstate",
    "*.tfstate.*",
    "override.tf",
    "override.tf.json",
    "*_override.tf",
    "*_override.tf.json",
    "*.tfplan",
    "tfplan",
    "crash.log",
    "crash.*.log",
    ".tfgen/txn/",
)


def rendered_paths() -> set[str]:
    """Every file a render holds (the manifest aside): no more, no fewer."""
    paths = set(ROOT_FILES) | {"README.md", GITIGNORE}
    for module in MODULES:
        paths |= {f"modules/{module}/{name}" for name in (*MODULE_FILES, "README.md")}
    return paths


CLOUDTRAIL = "cloudtrail.amazonaws.com"
PROTON = "proton.amazonaws.com"
CODEBUILD = "codebuild.amazonaws.com"


@dataclass(frozen=True)
class Expect:
    file: str
    block: tuple[str, ...]
    attrs: dict[str, object]


def state_bucket_name(cfg: Any) -> str:
    return f"{cfg.name}-tfstate-{cfg.account_id}-{cfg.region}"


def state_key_alias_arn(cfg: Any) -> str:
    return f"arn:{cfg.partition}:kms:{cfg.region}:{cfg.account_id}:alias/{cfg.name}-state"


# --------------------------------------------------------------------------------------------
# Addresses
# --------------------------------------------------------------------------------------------


def resource_addresses(cfg: Any) -> dict[str, set[str]]:
    """Every address each rendered HCL file declares (Terraform spelling), exactly."""
    wanted: dict[str, set[str]] = {path: set() for path in ROOT_FILES}
    wanted["main.tf"] = {
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
    for module in MODULES:
        for name in MODULE_FILES:
            wanted[f"modules/{module}/{name}"] = set()
    wanted["modules/kms/main.tf"] = {
        "data.aws_iam_policy_document.audit",
        "aws_kms_key.audit",
        "aws_kms_alias.audit",
        "data.aws_iam_policy_document.data",
        "aws_kms_key.data",
        "aws_kms_alias.data",
    }
    wanted["modules/s3/main.tf"] = {
        "aws_s3_bucket.this",
        "aws_s3_bucket_ownership_controls.this",
        "aws_s3_bucket_public_access_block.this",
        "aws_s3_bucket_versioning.this",
        "aws_s3_bucket_server_side_encryption_configuration.this",
        "aws_s3_bucket_logging.this",
        "aws_s3_bucket_lifecycle_configuration.this",
        "aws_s3_bucket_notification.this",
        "data.aws_iam_policy_document.this",
        "aws_s3_bucket_policy.this",
    }
    wanted["modules/cloudtrail/main.tf"] = {
        "aws_cloudwatch_log_group.this",
        "data.aws_iam_policy_document.cloudwatch_delivery_trust",
        "data.aws_iam_policy_document.cloudwatch_delivery",
        "aws_iam_role.cloudwatch_delivery",
        "aws_iam_role_policy.cloudwatch_delivery",
        "aws_sns_topic.this",
        "data.aws_iam_policy_document.sns",
        "aws_sns_topic_policy.this",
        "aws_cloudtrail.this",
    }
    wanted["modules/iam/main.tf"] = {
        "data.aws_iam_policy_document.proton_trust",
        "data.aws_iam_policy_document.codebuild_trust",
        "data.aws_iam_policy_document.environment_account_connection_trust",
        "data.aws_iam_policy_document.persona_trust",
        "data.aws_iam_policy_document.provisioning",
        "aws_iam_policy.provisioning",
        "data.aws_iam_policy_document.codebuild",
        "aws_iam_policy.codebuild",
        "aws_iam_role.proton_service",
        "aws_iam_role_policy_attachment.proton_service",
        "aws_iam_role.pipeline",
        "aws_iam_role_policy_attachment.pipeline",
        "aws_iam_role.codebuild",
        "aws_iam_role_policy_attachment.codebuild",
        "aws_iam_role_policy_attachment.codebuild_provisioning",
        "aws_iam_role.component",
        "aws_iam_role_policy_attachment.component",
        "aws_iam_role.environment_account_connection",
        "aws_iam_role_policy_attachment.environment_account_connection",
        "data.aws_iam_policy_document.read_only",
        "data.aws_iam_policy_document.developer",
        "data.aws_iam_policy_document.platform_admin",
        "aws_iam_policy.read_only",
        "aws_iam_policy.developer",
        "aws_iam_policy.platform_admin",
        "aws_iam_role.persona",
        "aws_iam_role_policy_attachment.persona",
    }
    wanted["modules/secrets/main.tf"] = {
        "aws_secretsmanager_secret.this",
        "ephemeral.aws_secretsmanager_random_password.parameter",
        "aws_ssm_parameter.this",
    }
    return wanted


# --------------------------------------------------------------------------------------------
# Root module: the answers
# --------------------------------------------------------------------------------------------


def _root(cfg: Any) -> list[Expect]:
    versions = Expect(
        "versions.tf",
        ("terraform",),
        {
            "required_version": REQUIRED_VERSION,
            "required_providers.aws.source": PROVIDER_SOURCE,
            "required_providers.aws.version": PROVIDER_VERSION,
        },
    )
    providers = Expect(
        "providers.tf",
        ("provider", "aws"),
        {
            "region": "${var.region}",
            "allowed_account_ids": ["${var.account_id}"],
            "default_tags.tags": '${merge(var.tags, {ManagedBy = "tfgen"})}',
        },
    )
    backend = Expect(
        "backend.tf",
        ("terraform",),
        {
            "backend.s3.bucket": state_bucket_name(cfg),
            "backend.s3.key": cfg.state_key,
            "backend.s3.region": cfg.region,
            "backend.s3.encrypt": True,
            "backend.s3.kms_key_id": state_key_alias_arn(cfg),
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
                "account_id": "${var.account_id}",
                "region": "${var.region}",
                "partition": "${local.partition}",
                "persona_trusted_principal_arns": ['"arn:${local.partition}:iam::${var.account_id}:root"'],
                "create_codebuild_role": "${var.create_codebuild_role}",
                "create_pipeline_role": "${var.create_pipeline_role}",
                "create_component_role": "${var.create_component_role}",
                "environment_account_ids": "${var.environment_account_ids}",
                "provisioned_services": "${var.provisioned_services}",
            },
        ),
        Expect(
            "main.tf",
            ("module", "kms"),
            {
                "source": "./modules/kms",
                "key_administrator_arns": "${var.key_administrator_arns}",
                "key_user_arns": "${var.key_user_arns}",
                "template_admin_role_arns": ["${module.iam.platform_admin_role_arn}"],
                "cloudtrail_trail_arn": "${local.trail_arn}",
                "cloudwatch_log_group_name": "${local.log_group_name}",
                "sns_topic_name": "${local.sns_topic_name}",
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
                "kms_key_arn": "${module.kms.audit_key_arn}",
                "cloudtrail_trail_arn": "${local.trail_arn}",
                "access_logging.target_bucket": "${module.access_logs_bucket.bucket_id}",
                "noncurrent_version_expiration_days": "${var.noncurrent_version_retention_days}",
            },
        ),
        Expect(
            "main.tf",
            ("module", "artifacts_bucket"),
            {
                "source": "./modules/s3",
                "kms_key_arn": "${module.kms.artifacts_key_arn}",
                "access_logging.target_bucket": "${module.access_logs_bucket.bucket_id}",
            },
        ),
        Expect(
            "main.tf",
            ("module", "state_bucket"),
            {
                "source": "./modules/s3",
                "kms_key_arn": "${module.kms.state_key_arn}",
                "access_logging.target_bucket": "${module.access_logs_bucket.bucket_id}",
            },
        ),
        Expect(
            "main.tf",
            ("module", "cloudtrail"),
            {
                "source": "./modules/cloudtrail",
                "name": "${local.trail_name}",
                "s3_bucket_name": "${module.audit_bucket.bucket_id}",
                "kms_key_arn": "${module.kms.audit_key_arn}",
                "log_retention_days": "${var.log_retention_days}",
                "s3_data_event_bucket_arns": "${var.enable_s3_data_events ? [module.artifacts_bucket.bucket_arn] : []}",
            },
        ),
        Expect(
            "main.tf",
            ("module", "secrets"),
            {
                "source": "./modules/secrets",
                "kms_key_arn": "${module.kms.secrets_key_arn}",
                "secret_names": "${var.secret_names}",
                "secure_parameter_names": "${var.secure_parameter_names}",
            },
        ),
    ]
    return [versions, providers, backend, *variables, *main]


# --------------------------------------------------------------------------------------------
# Modules: static
# --------------------------------------------------------------------------------------------


def _versions(module: str) -> Expect:
    return Expect(
        f"modules/{module}/versions.tf",
        ("terraform",),
        {
            "required_version": REQUIRED_VERSION,
            "required_providers.aws.source": PROVIDER_SOURCE,
            "required_providers.aws.version": PROVIDER_VERSION,
        },
    )


def _kms() -> list[Expect]:
    f = "modules/kms/main.tf"
    root_statement = {
        "statement[0].sid": "EnableIAMPoliciesForAccount",
        "statement[0].actions": ["kms:*"],
        "statement[0].principals.type": "AWS",
        "statement[0].principals.identifiers": ["${local.account_root_arn}"],
    }
    return [
        Expect(
            f,
            ("resource", "aws_kms_key", "audit"),
            {
                "enable_key_rotation": True,
                "deletion_window_in_days": "${var.deletion_window_in_days}",
                "policy": "${data.aws_iam_policy_document.audit.json}",
            },
        ),
        Expect(
            f,
            ("resource", "aws_kms_key", "data"),
            {
                "for_each": "${local.data_keys}",
                "enable_key_rotation": True,
                "deletion_window_in_days": "${var.deletion_window_in_days}",
                "policy": "${data.aws_iam_policy_document.data[each.key].json}",
            },
        ),
        Expect(f, ("resource", "aws_kms_alias", "audit"), {"name": '"alias/${var.name}-audit"'}),
        Expect(f, ("resource", "aws_kms_alias", "data"), {"name": '"alias/${var.name}-${each.key}"'}),
        Expect(
            f,
            ("locals",),
            {
                "account_root_arn": '"arn:${var.partition}:iam::${var.account_id}:root"',
                "log_group_arn": '"arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:${var.cloudwatch_log_group_name}"',
                "data_keys.artifacts": "template bundles and IaC artifacts (S3)",
                "data_keys.secrets": "Secrets Manager secrets and SSM SecureString parameters",
                "data_keys.state": "Terraform state (S3 backend)",
            },
        ),
        Expect(
            f,
            ("data", "aws_iam_policy_document", "audit"),
            {
                **root_statement,
                "statement[1].sid": "AllowCloudTrailEncryptLogs",
                "statement[1].actions": ["kms:GenerateDataKey*"],
                "statement[1].principals.identifiers": [CLOUDTRAIL],
                "statement[1].condition[0].variable": "aws:SourceArn",
                "statement[1].condition[0].values": ["${var.cloudtrail_trail_arn}"],
                "statement[1].condition[1].test": "StringLike",
                "statement[1].condition[1].variable": "kms:EncryptionContext:aws:cloudtrail:arn",
                "statement[1].condition[1].values": ['"arn:${var.partition}:cloudtrail:*:${var.account_id}:trail/*"'],
                "statement[2].sid": "AllowCloudTrailDescribeKey",
                "statement[2].actions": ["kms:DescribeKey"],
                "statement[2].condition[0].variable": "aws:SourceArn",
                "statement[3].sid": "AllowCloudTrailPublishToEncryptedTopic",
                "statement[3].condition[0].variable": "aws:SourceArn",
                "statement[3].condition[1].variable": "kms:EncryptionContext:aws:sns:topicArn",
                "statement[4].sid": "AllowCloudWatchLogsForTrailLogGroup",
                "statement[4].principals.identifiers": ['"logs.${var.region}.${local.dns_suffix}"'],
                "statement[4].condition[0].test": "ArnEquals",
                "statement[4].condition[0].variable": "kms:EncryptionContext:aws:logs:arn",
                "statement[4].condition[0].values": ["${local.log_group_arn}"],
                "dynamic[0].statement.content.sid": "AllowKeyAdministration",
                "dynamic[1].statement.content.sid": "AllowCloudTrailLogFileDecrypt",
                "dynamic[1].statement.content.actions": ["kms:Decrypt"],
                "dynamic[1].statement.content.condition.test": "Null",
                "dynamic[1].statement.content.condition.variable": "kms:EncryptionContext:aws:cloudtrail:arn",
                "dynamic[1].statement.content.condition.values": ["false"],
            },
        ),
        Expect(
            f,
            ("data", "aws_iam_policy_document", "data"),
            {
                **root_statement,
                "dynamic[0].statement.content.sid": "AllowKeyAdministration",
                "dynamic[1].statement.content.sid": "AllowKeyUse",
                "dynamic[2].statement.content.sid": "AllowGrantsForAWSResources",
                "dynamic[2].statement.content.condition.variable": "kms:GrantIsForAWSResource",
                "dynamic[3].statement.content.sid": "AllowProtonTemplateEncryption",
                "dynamic[3].statement.content.actions": ["kms:CreateGrant", "kms:DescribeKey"],
                "dynamic[3].statement.content.condition.test": "StringEquals",
                "dynamic[3].statement.content.condition.variable": "kms:ViaService",
                "dynamic[3].statement.content.condition.values": ['"proton.${var.region}.${local.dns_suffix}"'],
            },
        ),
        Expect("modules/kms/variables.tf", ("variable", "deletion_window_in_days"), {"default": 30}),
    ]


def _s3() -> list[Expect]:
    f = "modules/s3/main.tf"
    return [
        Expect(f, ("resource", "aws_s3_bucket", "this"), {"bucket": "${var.bucket_name}", "force_destroy": "${var.force_destroy}"}),
        Expect(f, ("resource", "aws_s3_bucket_ownership_controls", "this"), {"rule.object_ownership": "BucketOwnerEnforced"}),
        Expect(
            f,
            ("resource", "aws_s3_bucket_public_access_block", "this"),
            {
                "block_public_acls": True,
                "block_public_policy": True,
                "ignore_public_acls": True,
                "restrict_public_buckets": True,
            },
        ),
        Expect(f, ("resource", "aws_s3_bucket_versioning", "this"), {"versioning_configuration.status": "Enabled"}),
        Expect(
            f,
            ("resource", "aws_s3_bucket_server_side_encryption_configuration", "this"),
            {
                "rule.apply_server_side_encryption_by_default.sse_algorithm": '${local.sse_kms ? "aws:kms" : "AES256"}',
                "rule.apply_server_side_encryption_by_default.kms_master_key_id": "${var.kms_key_arn}",
                "rule.bucket_key_enabled": "${local.sse_kms}",
            },
        ),
        Expect(f, ("locals",), {"sse_kms": "${var.kms_key_arn != null}"}),
        Expect(
            f,
            ("resource", "aws_s3_bucket_logging", "this"),
            {
                "count": "${var.access_logging == null ? 0 : 1}",
                "target_bucket": "${var.access_logging.target_bucket}",
            },
        ),
        Expect(
            f,
            ("resource", "aws_s3_bucket_lifecycle_configuration", "this"),
            {
                "rule[0].status": "Enabled",
                "rule[0].abort_incomplete_multipart_upload.days_after_initiation": "${var.abort_incomplete_multipart_upload_days}",
                "rule[1].status": "Enabled",
                "rule[1].noncurrent_version_expiration.noncurrent_days": "${var.noncurrent_version_expiration_days}",
            },
        ),
        Expect(f, ("resource", "aws_s3_bucket_notification", "this"), {"eventbridge": True}),
        Expect(
            f,
            ("data", "aws_iam_policy_document", "this"),
            {
                "statement[0].sid": "DenyInsecureTransport",
                "statement[0].effect": "Deny",
                "statement[0].actions": ["s3:*"],
                "statement[0].condition.test": "Bool",
                "statement[0].condition.variable": "aws:SecureTransport",
                "statement[0].condition.values": ["false"],
                "statement[1].sid": "DenyOutdatedTLS",
                "statement[1].effect": "Deny",
                "statement[1].condition.test": "NumericLessThan",
                "statement[1].condition.variable": "s3:TlsVersion",
                "statement[1].condition.values": ["1.2"],
                "dynamic[0].statement.content.sid": "AllowCloudTrailAclCheck",
                "dynamic[0].statement.content.actions": ["s3:GetBucketAcl"],
                "dynamic[0].statement.content.condition.variable": "aws:SourceArn",
                "dynamic[1].statement.content.sid": "AllowCloudTrailWrite",
                "dynamic[1].statement.content.actions": ["s3:PutObject"],
                "dynamic[1].statement.content.resources": ['"${local.bucket_arn}/AWSLogs/${var.account_id}/*"'],
                "dynamic[1].statement.content.condition[0].variable": "s3:x-amz-acl",
                "dynamic[1].statement.content.condition[0].values": ["bucket-owner-full-control"],
                "dynamic[1].statement.content.condition[1].variable": "aws:SourceArn",
                "dynamic[2].statement.content.sid": "AllowServerAccessLogDelivery",
                "dynamic[2].statement.content.principals.identifiers": ["logging.s3.amazonaws.com"],
                "dynamic[2].statement.content.condition[1].variable": "aws:SourceAccount",
            },
        ),
        Expect(f, ("resource", "aws_s3_bucket_policy", "this"), {"policy": "${data.aws_iam_policy_document.this.json}"}),
        Expect("modules/s3/variables.tf", ("variable", "force_destroy"), {"default": False}),
        Expect("modules/s3/variables.tf", ("variable", "noncurrent_version_expiration_days"), {"default": 365}),
    ]


def _cloudtrail() -> list[Expect]:
    f = "modules/cloudtrail/main.tf"
    return [
        Expect(
            f,
            ("resource", "aws_cloudtrail", "this"),
            {
                "enable_logging": True,
                "is_multi_region_trail": True,
                "include_global_service_events": True,
                "enable_log_file_validation": True,
                "kms_key_id": "${var.kms_key_arn}",
                "sns_topic_name": "${aws_sns_topic.this.name}",
                "cloud_watch_logs_group_arn": '"${aws_cloudwatch_log_group.this.arn}:*"',
                "cloud_watch_logs_role_arn": "${aws_iam_role.cloudwatch_delivery.arn}",
                "event_selector.read_write_type": "All",
                "event_selector.include_management_events": True,
                "event_selector.dynamic.data_resource.content.type": "AWS::S3::Object",
            },
        ),
        Expect(
            f,
            ("resource", "aws_cloudwatch_log_group", "this"),
            {"retention_in_days": "${var.log_retention_days}", "kms_key_id": "${var.kms_key_arn}"},
        ),
        Expect(f, ("resource", "aws_sns_topic", "this"), {"kms_master_key_id": "${var.kms_key_arn}"}),
        Expect(
            f,
            ("data", "aws_iam_policy_document", "sns"),
            {
                "statement.actions": ["sns:Publish"],
                "statement.principals.identifiers": [CLOUDTRAIL],
                "statement.condition.variable": "aws:SourceArn",
                "statement.condition.values": ["${local.trail_arn}"],
            },
        ),
        Expect(
            f,
            ("data", "aws_iam_policy_document", "cloudwatch_delivery"),
            {
                "statement.actions": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "statement.resources": ['"${aws_cloudwatch_log_group.this.arn}:log-stream:*"'],
            },
        ),
        Expect(
            f,
            ("data", "aws_iam_policy_document", "cloudwatch_delivery_trust"),
            {
                "statement.actions": ["sts:AssumeRole"],
                "statement.principals.type": "Service",
                "statement.principals.identifiers": [CLOUDTRAIL],
            },
        ),
        Expect("modules/cloudtrail/variables.tf", ("variable", "log_retention_days"), {"default": 365}),
    ]


def _iam() -> list[Expect]:
    f = "modules/iam/main.tf"

    def trust(principal: str, accounts: object, source_arns: object) -> dict[str, object]:
        return {
            "statement.actions": ["sts:AssumeRole"],
            "statement.principals.type": "Service",
            "statement.principals.identifiers": [principal],
            "statement.condition[0].test": "StringEquals",
            "statement.condition[0].variable": "aws:SourceAccount",
            "statement.condition[0].values": accounts,
            "statement.condition[1].test": "ArnLike",
            "statement.condition[1].variable": "aws:SourceArn",
            "statement.condition[1].values": source_arns,
        }

    return [
        Expect(
            f,
            ("locals",),
            {
                "proton_arn_prefix": '"arn:${var.partition}:proton:${var.region}:${var.account_id}"',
                "proton_environment_arn": '"${local.proton_arn_prefix}:environment/*"',
                "codebuild_project_arn": '"arn:${var.partition}:codebuild:${var.region}:${var.account_id}:project/AWSProton*"',
                "proton_stack_arn": '"arn:${var.partition}:cloudformation:${var.region}:${var.account_id}:stack/AWSProton-*"',
                "personas.developer": "${aws_iam_policy.developer.arn}",
                "personas.platform-admin": "${aws_iam_policy.platform_admin.arn}",
                "personas.read-only": "${aws_iam_policy.read_only.arn}",
                "developer_write_actions": [
                    "proton:CancelServiceInstanceDeployment",
                    "proton:CancelServicePipelineDeployment",
                    "proton:CreateService",
                    "proton:DeleteService",
                    "proton:UpdateService",
                    "proton:UpdateServiceInstance",
                    "proton:UpdateServicePipeline",
                ],
            },
        ),
        Expect(f, ("data", "aws_iam_policy_document", "proton_trust"), trust(PROTON, ["${var.account_id}"], ["${local.proton_environment_arn}"])),
        Expect(f, ("data", "aws_iam_policy_document", "codebuild_trust"), trust(CODEBUILD, ["${var.account_id}"], ["${local.codebuild_project_arn}"])),
        Expect(
            f,
            ("data", "aws_iam_policy_document", "environment_account_connection_trust"),
            trust(PROTON, "${var.environment_account_ids}", "${local.connection_source_arns}"),
        ),
        Expect(
            f,
            ("data", "aws_iam_policy_document", "provisioning"),
            {
                "statement.sid": "ManageProtonStacks",
                "statement.resources": ["${local.proton_stack_arn}"],
                "dynamic.statement.content.resources": ["*"],
                "dynamic.statement.content.condition.test": "ForAnyValue:StringEquals",
                "dynamic.statement.content.condition.variable": "aws:CalledVia",
                "dynamic.statement.content.condition.values": ["cloudformation.amazonaws.com"],
            },
        ),
        Expect(
            f,
            ("data", "aws_iam_policy_document", "read_only"),
            {
                "statement[0].actions": ["proton:Get*", "proton:List*"],
                "statement[0].resources": ['"${local.proton_arn_prefix}:*"'],
                "statement[1].actions": "${local.read_only_account_actions}",
            },
        ),
        Expect(
            f,
            ("data", "aws_iam_policy_document", "developer"),
            {
                "source_policy_documents": ["${data.aws_iam_policy_document.read_only.json}"],
                "statement.actions": "${local.developer_write_actions}",
                "statement.resources": ['"${local.proton_arn_prefix}:service/*"'],
            },
        ),
        Expect(
            f,
            ("data", "aws_iam_policy_document", "platform_admin"),
            {
                "source_policy_documents": ["${data.aws_iam_policy_document.read_only.json}"],
                "statement[2].sid": "PassGeneratedRolesToProton",
                "statement[2].actions": ["iam:PassRole"],
                "statement[2].resources": "${local.passable_role_arns}",
                "statement[2].condition.test": "StringEquals",
                "statement[2].condition.variable": "iam:PassedToService",
                "statement[2].condition.values": [PROTON],
            },
        ),
        Expect(f, ("resource", "aws_iam_role", "proton_service"), {"assume_role_policy": "${data.aws_iam_policy_document.proton_trust.json}"}),
        Expect(
            f,
            ("resource", "aws_iam_role", "pipeline"),
            {"count": "${var.create_pipeline_role ? 1 : 0}", "assume_role_policy": "${data.aws_iam_policy_document.proton_trust.json}"},
        ),
        Expect(
            f,
            ("resource", "aws_iam_role", "codebuild"),
            {"count": "${var.create_codebuild_role ? 1 : 0}", "assume_role_policy": "${data.aws_iam_policy_document.codebuild_trust.json}"},
        ),
        Expect(
            f,
            ("resource", "aws_iam_role", "component"),
            {"count": "${var.create_component_role ? 1 : 0}", "assume_role_policy": "${data.aws_iam_policy_document.proton_trust.json}"},
        ),
        Expect(
            f,
            ("resource", "aws_iam_role", "environment_account_connection"),
            {
                "count": "${length(var.environment_account_ids) > 0 ? 1 : 0}",
                "assume_role_policy": "${data.aws_iam_policy_document.environment_account_connection_trust[0].json}",
            },
        ),
        Expect(f, ("resource", "aws_iam_role", "persona"), {"assume_role_policy": "${data.aws_iam_policy_document.persona_trust.json}"}),
        Expect("modules/iam/variables.tf", ("variable", "persona_require_mfa"), {"default": True}),
        # AWS Proton is past end of support: a caller of the module that says nothing gets no Proton roles.
        *(Expect("modules/iam/variables.tf", ("variable", f"create_{role}_role"), {"default": False}) for role in ("codebuild", "pipeline", "component")),
    ]


def _secrets() -> list[Expect]:
    f = "modules/secrets/main.tf"
    return [
        Expect(f, ("resource", "aws_secretsmanager_secret", "this"), {"for_each": "${var.secret_names}", "kms_key_id": "${var.kms_key_arn}"}),
        Expect(
            f,
            ("ephemeral", "aws_secretsmanager_random_password", "parameter"),
            {"count": "${length(var.secure_parameter_names) > 0 ? 1 : 0}", "password_length": 32},
        ),
        Expect(
            f,
            ("resource", "aws_ssm_parameter", "this"),
            {
                "type": "SecureString",
                "key_id": "${var.kms_key_arn}",
                "value_wo": "${ephemeral.aws_secretsmanager_random_password.parameter[0].random_password}",
                "value_wo_version": "${var.secure_parameter_value_version}",
            },
        ),
    ]


def expectations(cfg: Any) -> list[Expect]:
    """Security-relevant attributes of every rendered HCL file, root first."""
    found = _root(cfg)
    found += [_versions(module) for module in MODULES]
    found += _kms() + _s3() + _cloudtrail() + _iam() + _secrets()
    return found
