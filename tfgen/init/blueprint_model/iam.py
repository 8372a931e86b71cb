"""The iam module: AWS Proton service roles and personas, trust conditioned against the confused deputy."""

from __future__ import annotations

from tfgen.hcl.values import Expr, Template
from tfgen.init.blueprint_model.expect import CODEBUILD, PROTON, Expect, document, service_trust

ADDRESSES = frozenset(
    {
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
)


def _role(name: str, trust: str, count: str | None = None) -> Expect:
    """`aws_iam_role.name`, assumed under the trust policy `data.aws_iam_policy_document.<trust>`."""
    attrs: dict[str, object] = {"assume_role_policy": Expr(f"data.aws_iam_policy_document.{trust}.json")}
    if count is not None:
        attrs["count"] = Expr(count)
    return Expect("main.tf", ("resource", "aws_iam_role", name), attrs)


EXPECTS: tuple[Expect, ...] = (
    Expect(
        "main.tf",
        ("locals",),
        {
            "proton_arn_prefix": Template("arn:${var.partition}:proton:${var.region}:${var.account_id}"),
            "proton_environment_arn": Template("${local.proton_arn_prefix}:environment/*"),
            "codebuild_project_arn": Template(
                "arn:${var.partition}:codebuild:${var.region}:${var.account_id}:project/AWSProton*"
            ),
            "proton_stack_arn": Template(
                "arn:${var.partition}:cloudformation:${var.region}:${var.account_id}:stack/AWSProton-*"
            ),
            "personas.developer": Expr("aws_iam_policy.developer.arn"),
            "personas.platform-admin": Expr("aws_iam_policy.platform_admin.arn"),
            "personas.read-only": Expr("aws_iam_policy.read_only.arn"),
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
    document(
        "proton_trust",
        {
            "ProtonAssumeRole": service_trust(PROTON, [Expr("var.account_id")], [Expr("local.proton_environment_arn")]),
        },
    ),
    document(
        "codebuild_trust",
        {
            "CodeBuildAssumeRole": service_trust(
                CODEBUILD, [Expr("var.account_id")], [Expr("local.codebuild_project_arn")]
            ),
        },
    ),
    document(
        "environment_account_connection_trust",
        {
            "ProtonAssumeRoleFromConnectedAccounts": service_trust(
                PROTON, Expr("var.environment_account_ids"), Expr("local.connection_source_arns")
            ),
        },
    ),
    document(
        "provisioning",
        {
            "ManageProtonStacks": {
                "resources": [Expr("local.proton_stack_arn")],
            },
            "ProvisionServicesThroughCloudFormation": {
                "resources": ["*"],
                "condition.test": "ForAnyValue:StringEquals",
                "condition.variable": "aws:CalledVia",
                "condition.values": ["cloudformation.amazonaws.com"],
            },
        },
    ),
    document(
        "read_only",
        {
            "ProtonReadResources": {
                "actions": ["proton:Get*", "proton:List*"],
                "resources": [Template("${local.proton_arn_prefix}:*")],
            },
            "ProtonReadAccountLevel": {
                "actions": Expr("local.read_only_account_actions"),
            },
        },
    ),
    document(
        "developer",
        {
            "ProtonServiceWrite": {
                "actions": Expr("local.developer_write_actions"),
                "resources": [Template("${local.proton_arn_prefix}:service/*")],
            },
        },
        {"source_policy_documents": [Expr("data.aws_iam_policy_document.read_only.json")]},
    ),
    document(
        "platform_admin",
        {
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
        },
        {"source_policy_documents": [Expr("data.aws_iam_policy_document.read_only.json")]},
    ),
    _role("proton_service", "proton_trust"),
    _role("pipeline", "proton_trust", "var.create_pipeline_role ? 1 : 0"),
    _role("codebuild", "codebuild_trust", "var.create_codebuild_role ? 1 : 0"),
    _role("component", "proton_trust", "var.create_component_role ? 1 : 0"),
    _role(
        "environment_account_connection",
        "environment_account_connection_trust[0]",
        "length(var.environment_account_ids) > 0 ? 1 : 0",
    ),
    _role("persona", "persona_trust"),
    Expect(
        "variables.tf",
        ("variable", "persona_require_mfa"),
        {
            "default": True,
        },
    ),
    # AWS Proton is past end of support: a caller of the module that says nothing gets no Proton roles.
    *(
        Expect("variables.tf", ("variable", f"create_{role}_role"), {"default": False})
        for role in ("codebuild", "pipeline", "component")
    ),
)
