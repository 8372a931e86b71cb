"""The iam module: AWS Proton service roles and personas, trust conditioned against the confused deputy."""

from __future__ import annotations

from tfgen.hcl.values import Expr, Template
from tfgen.init.blueprint_model import Expect, CODEBUILD, PROTON

ADDRESSES = frozenset({
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
})

EXPECTS: tuple[Expect, ...] = (
    Expect("main.tf", ("locals",), {
        "proton_arn_prefix": Template("arn:${var.partition}:proton:${var.region}:${var.account_id}"),
        "proton_environment_arn": Template("${local.proton_arn_prefix}:environment/*"),
        "codebuild_project_arn": Template("arn:${var.partition}:codebuild:${var.region}:${var.account_id}:project/AWSProton*"),
        "proton_stack_arn": Template("arn:${var.partition}:cloudformation:${var.region}:${var.account_id}:stack/AWSProton-*"),
        "personas.developer": Expr("aws_iam_policy.developer.arn"),
        "personas.platform-admin": Expr("aws_iam_policy.platform_admin.arn"),
        "personas.read-only": Expr("aws_iam_policy.read_only.arn"),
        "developer_write_actions": ["proton:CancelServiceInstanceDeployment", "proton:CancelServicePipelineDeployment", "proton:CreateService", "proton:DeleteService", "proton:UpdateService", "proton:UpdateServiceInstance", "proton:UpdateServicePipeline"],
    }),
    Expect("main.tf", ("data", "aws_iam_policy_document", "proton_trust"), {
    }, statements={
        "ProtonAssumeRole": {
            "actions": ["sts:AssumeRole"],
            "principals.type": "Service",
            "principals.identifiers": [PROTON],
            "condition[0].test": "StringEquals",
            "condition[0].variable": "aws:SourceAccount",
            "condition[0].values": [Expr("var.account_id")],
            "condition[1].test": "ArnLike",
            "condition[1].variable": "aws:SourceArn",
            "condition[1].values": [Expr("local.proton_environment_arn")],
        },
    }),
    Expect("main.tf", ("data", "aws_iam_policy_document", "codebuild_trust"), {
    }, statements={
        "CodeBuildAssumeRole": {
            "actions": ["sts:AssumeRole"],
            "principals.type": "Service",
            "principals.identifiers": [CODEBUILD],
            "condition[0].test": "StringEquals",
            "condition[0].variable": "aws:SourceAccount",
            "condition[0].values": [Expr("var.account_id")],
            "condition[1].test": "ArnLike",
            "condition[1].variable": "aws:SourceArn",
            "condition[1].values": [Expr("local.codebuild_project_arn")],
        },
    }),
    Expect("main.tf", ("data", "aws_iam_policy_document", "environment_account_connection_trust"), {
    }, statements={
        "ProtonAssumeRoleFromConnectedAccounts": {
            "actions": ["sts:AssumeRole"],
            "principals.type": "Service",
            "principals.identifiers": [PROTON],
            "condition[0].test": "StringEquals",
            "condition[0].variable": "aws:SourceAccount",
            "condition[0].values": Expr("var.environment_account_ids"),
            "condition[1].test": "ArnLike",
            "condition[1].variable": "aws:SourceArn",
            "condition[1].values": Expr("local.connection_source_arns"),
        },
    }),
    Expect("main.tf", ("data", "aws_iam_policy_document", "provisioning"), {
    }, statements={
        "ManageProtonStacks": {
            "resources": [Expr("local.proton_stack_arn")],
        },
        "ProvisionServicesThroughCloudFormation": {
            "resources": ["*"],
            "condition.test": "ForAnyValue:StringEquals",
            "condition.variable": "aws:CalledVia",
            "condition.values": ["cloudformation.amazonaws.com"],
        },
    }),
    Expect("main.tf", ("data", "aws_iam_policy_document", "read_only"), {
    }, statements={
        "ProtonReadResources": {
            "actions": ["proton:Get*", "proton:List*"],
            "resources": [Template("${local.proton_arn_prefix}:*")],
        },
        "ProtonReadAccountLevel": {
            "actions": Expr("local.read_only_account_actions"),
        },
    }),
    Expect("main.tf", ("data", "aws_iam_policy_document", "developer"), {
        "source_policy_documents": [Expr("data.aws_iam_policy_document.read_only.json")],
    }, statements={
        "ProtonServiceWrite": {
            "actions": Expr("local.developer_write_actions"),
            "resources": [Template("${local.proton_arn_prefix}:service/*")],
        },
    }),
    Expect("main.tf", ("data", "aws_iam_policy_document", "platform_admin"), {
        "source_policy_documents": [Expr("data.aws_iam_policy_document.read_only.json")],
    }, statements={
        "ProtonTemplatesEnvironmentsConnections": {
            "actions": Expr("local.platform_admin_resource_actions"),
        },
        "ProtonAccountSettings": {
            "actions": Expr("local.platform_admin_account_actions"),
        },
        "PassGeneratedRolesToProton": {
            "actions": ["iam:PassRole"],
            "resources": Expr("local.passable_role_arns"),
            "condition.test": "StringEquals",
            "condition.variable": "iam:PassedToService",
            "condition.values": [PROTON],
        },
    }),
    Expect("main.tf", ("resource", "aws_iam_role", "proton_service"), {
        "assume_role_policy": Expr("data.aws_iam_policy_document.proton_trust.json"),
    }),
    Expect("main.tf", ("resource", "aws_iam_role", "pipeline"), {
        "count": Expr("var.create_pipeline_role ? 1 : 0"),
        "assume_role_policy": Expr("data.aws_iam_policy_document.proton_trust.json"),
    }),
    Expect("main.tf", ("resource", "aws_iam_role", "codebuild"), {
        "count": Expr("var.create_codebuild_role ? 1 : 0"),
        "assume_role_policy": Expr("data.aws_iam_policy_document.codebuild_trust.json"),
    }),
    Expect("main.tf", ("resource", "aws_iam_role", "component"), {
        "count": Expr("var.create_component_role ? 1 : 0"),
        "assume_role_policy": Expr("data.aws_iam_policy_document.proton_trust.json"),
    }),
    Expect("main.tf", ("resource", "aws_iam_role", "environment_account_connection"), {
        "count": Expr("length(var.environment_account_ids) > 0 ? 1 : 0"),
        "assume_role_policy": Expr("data.aws_iam_policy_document.environment_account_connection_trust[0].json"),
    }),
    Expect("main.tf", ("resource", "aws_iam_role", "persona"), {
        "assume_role_policy": Expr("data.aws_iam_policy_document.persona_trust.json"),
    }),
    Expect("variables.tf", ("variable", "persona_require_mfa"), {
        "default": True,
    }),
    Expect("variables.tf", ("variable", "create_codebuild_role"), {
        "default": False,
    }),
    Expect("variables.tf", ("variable", "create_pipeline_role"), {
        "default": False,
    }),
    Expect("variables.tf", ("variable", "create_component_role"), {
        "default": False,
    }),
)
