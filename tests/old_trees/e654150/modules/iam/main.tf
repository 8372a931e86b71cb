locals {
  proton_arn_prefix = "arn:${var.partition}:proton:${var.region}:${var.account_id}"

  # Confused-deputy protection: the exact source ARN forms AWS sends when assuming these roles.
  proton_environment_arn  = "${local.proton_arn_prefix}:environment/*"
  codebuild_project_arn   = "arn:${var.partition}:codebuild:${var.region}:${var.account_id}:project/AWSProton*"
  connection_source_arns  = [for id in var.environment_account_ids : "arn:${var.partition}:proton:${var.region}:${id}:environment/*"]
  proton_stack_arn        = "arn:${var.partition}:cloudformation:${var.region}:${var.account_id}:stack/AWSProton-*"
  codebuild_log_group_arn = "arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:/aws/codebuild/AWSProton-*"

  provisioned_actions = [for service in sort(var.provisioned_services) : "${service}:*"]

  # Persona name -> managed policy; each persona role gets exactly its policy.
  personas = {
    developer      = aws_iam_policy.developer.arn
    platform-admin = aws_iam_policy.platform_admin.arn
    read-only      = aws_iam_policy.read_only.arn
  }

  # Roles an AWS Proton administrator may hand to AWS Proton (iam:PassRole).
  passable_role_arns = concat(
    [aws_iam_role.proton_service.arn],
    aws_iam_role.pipeline[*].arn,
    aws_iam_role.codebuild[*].arn,
    aws_iam_role.component[*].arn,
    aws_iam_role.environment_account_connection[*].arn,
  )

  developer_write_actions = [
    "proton:CancelServiceInstanceDeployment",
    "proton:CancelServicePipelineDeployment",
    "proton:CreateService",
    "proton:DeleteService",
    "proton:UpdateService",
    "proton:UpdateServiceInstance",
    "proton:UpdateServicePipeline",
  ]

  platform_admin_resource_actions = [
    "proton:AcceptEnvironmentAccountConnection",
    "proton:CancelEnvironmentDeployment",
    "proton:CreateEnvironment",
    "proton:CreateEnvironmentTemplate",
    "proton:CreateEnvironmentTemplateVersion",
    "proton:CreateRepository",
    "proton:CreateServiceTemplate",
    "proton:CreateServiceTemplateVersion",
    "proton:DeleteEnvironment",
    "proton:DeleteEnvironmentAccountConnection",
    "proton:DeleteEnvironmentTemplate",
    "proton:DeleteEnvironmentTemplateVersion",
    "proton:DeleteRepository",
    "proton:DeleteServiceTemplate",
    "proton:DeleteServiceTemplateVersion",
    "proton:RejectEnvironmentAccountConnection",
    "proton:UpdateEnvironment",
    "proton:UpdateEnvironmentAccountConnection",
    "proton:UpdateEnvironmentTemplate",
    "proton:UpdateEnvironmentTemplateVersion",
    "proton:UpdateServiceTemplate",
    "proton:UpdateServiceTemplateVersion",
  ]

  # Read actions without a resource type: IAM matches them only with Resource "*".
  read_only_account_actions = [
    "proton:GetAccountSettings",
    "proton:GetRepositorySyncStatus",
    "proton:GetResourceTemplateVersionStatusCounts",
    "proton:GetResourcesSummary",
    "proton:GetServiceInstanceSyncStatus",
    "proton:GetServiceSyncBlockerSummary",
    "proton:GetServiceSyncConfig",
    "proton:GetTemplateSyncConfig",
    "proton:GetTemplateSyncStatus",
    "proton:ListDeployments",
    "proton:ListEnvironmentAccountConnections",
    "proton:ListEnvironmentTemplates",
    "proton:ListEnvironments",
    "proton:ListRepositories",
    "proton:ListRepositorySyncDefinitions",
    "proton:ListServiceInstances",
    "proton:ListServiceTemplates",
    "proton:ListServices",
  ]

  # Write actions without a resource type: IAM matches them only with Resource "*".
  platform_admin_account_actions = [
    "proton:CreateEnvironmentAccountConnection",
    "proton:CreateTemplateSyncConfig",
    "proton:DeleteTemplateSyncConfig",
    "proton:UpdateAccountSettings",
    "proton:UpdateTemplateSyncConfig",
  ]

  cloudformation_actions = [
    "cloudformation:CancelUpdateStack",
    "cloudformation:ContinueUpdateRollback",
    "cloudformation:CreateChangeSet",
    "cloudformation:CreateStack",
    "cloudformation:DeleteChangeSet",
    "cloudformation:DeleteStack",
    "cloudformation:DescribeChangeSet",
    "cloudformation:DescribeStackDriftDetectionStatus",
    "cloudformation:DescribeStackEvents",
    "cloudformation:DescribeStackResourceDrifts",
    "cloudformation:DescribeStacks",
    "cloudformation:DetectStackResourceDrift",
    "cloudformation:ExecuteChangeSet",
    "cloudformation:ListChangeSets",
    "cloudformation:ListStackResources",
    "cloudformation:UpdateStack",
  ]
}

################################################################################
# Trust policies (both aws:SourceAccount and aws:SourceArn)
################################################################################

data "aws_iam_policy_document" "proton_trust" {
  statement {
    sid     = "ProtonAssumeRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["proton.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.proton_environment_arn]
    }
  }
}

data "aws_iam_policy_document" "codebuild_trust" {
  statement {
    sid     = "CodeBuildAssumeRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["codebuild.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.codebuild_project_arn]
    }
  }
}

data "aws_iam_policy_document" "environment_account_connection_trust" {
  count = length(var.environment_account_ids) > 0 ? 1 : 0

  statement {
    sid     = "ProtonAssumeRoleFromConnectedAccounts"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["proton.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = var.environment_account_ids
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = local.connection_source_arns
    }
  }
}

data "aws_iam_policy_document" "persona_trust" {
  statement {
    sid     = "AssumePersonaRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = var.persona_trusted_principal_arns
    }

    dynamic "condition" {
      for_each = var.persona_require_mfa ? ["true"] : []

      content {
        test     = "Bool"
        variable = "aws:MultiFactorAuthPresent"
        values   = [condition.value]
      }
    }
  }
}

################################################################################
# Provisioning permissions: CloudFormation on AWSProton-* stacks, other services
# only through CloudFormation
################################################################################

data "aws_iam_policy_document" "provisioning" {
  statement {
    sid       = "ManageProtonStacks"
    actions   = local.cloudformation_actions
    resources = [local.proton_stack_arn]
  }

  dynamic "statement" {
    for_each = length(local.provisioned_actions) > 0 ? [local.provisioned_actions] : []

    content {
      sid       = "ProvisionServicesThroughCloudFormation"
      actions   = statement.value
      resources = ["*"]

      condition {
        test     = "ForAnyValue:StringEquals"
        variable = "aws:CalledVia"
        values   = ["cloudformation.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_policy" "provisioning" {
  name        = "${var.name}-proton-provisioning"
  description = "AWS Proton provisioning: CloudFormation on AWSProton-* stacks; listed services only through CloudFormation."
  policy      = data.aws_iam_policy_document.provisioning.json
}

data "aws_iam_policy_document" "codebuild" {
  statement {
    sid       = "WriteBuildLogs"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [local.codebuild_log_group_arn, "${local.codebuild_log_group_arn}:log-stream:*"]
  }

  statement {
    sid       = "NotifyProtonOfDeploymentStatus"
    actions   = ["proton:NotifyResourceDeploymentStatusChange"]
    resources = ["${local.proton_arn_prefix}:*"]
  }
}

resource "aws_iam_policy" "codebuild" {
  count = var.create_codebuild_role ? 1 : 0

  name        = "${var.name}-proton-codebuild"
  description = "AWS Proton CodeBuild provisioning: build logs and deployment status notifications."
  policy      = data.aws_iam_policy_document.codebuild.json
}

################################################################################
# AWS Proton service roles
################################################################################

resource "aws_iam_role" "proton_service" {
  name               = "${var.name}-proton-service"
  description        = "AWS Proton service role: provisions environments through CloudFormation."
  assume_role_policy = data.aws_iam_policy_document.proton_trust.json
}

resource "aws_iam_role_policy_attachment" "proton_service" {
  role       = aws_iam_role.proton_service.name
  policy_arn = aws_iam_policy.provisioning.arn
}

resource "aws_iam_role" "pipeline" {
  count = var.create_pipeline_role ? 1 : 0

  name               = "${var.name}-proton-pipeline"
  description        = "AWS Proton pipeline service role: deploys service pipeline stacks through CloudFormation."
  assume_role_policy = data.aws_iam_policy_document.proton_trust.json
}

resource "aws_iam_role_policy_attachment" "pipeline" {
  count = var.create_pipeline_role ? 1 : 0

  role       = aws_iam_role.pipeline[0].name
  policy_arn = aws_iam_policy.provisioning.arn
}

resource "aws_iam_role" "codebuild" {
  count = var.create_codebuild_role ? 1 : 0

  name               = "${var.name}-proton-codebuild"
  description        = "AWS Proton CodeBuild provisioning role: assumed only by AWS Proton's AWSProton* CodeBuild projects."
  assume_role_policy = data.aws_iam_policy_document.codebuild_trust.json
}

resource "aws_iam_role_policy_attachment" "codebuild" {
  count = var.create_codebuild_role ? 1 : 0

  role       = aws_iam_role.codebuild[0].name
  policy_arn = aws_iam_policy.codebuild[0].arn
}

resource "aws_iam_role_policy_attachment" "codebuild_provisioning" {
  count = var.create_codebuild_role ? 1 : 0

  role       = aws_iam_role.codebuild[0].name
  policy_arn = aws_iam_policy.provisioning.arn
}

resource "aws_iam_role" "component" {
  count = var.create_component_role ? 1 : 0

  name               = "${var.name}-proton-component"
  description        = "AWS Proton component role: scopes what directly defined components may provision."
  assume_role_policy = data.aws_iam_policy_document.proton_trust.json
}

resource "aws_iam_role_policy_attachment" "component" {
  count = var.create_component_role ? 1 : 0

  role       = aws_iam_role.component[0].name
  policy_arn = aws_iam_policy.provisioning.arn
}

resource "aws_iam_role" "environment_account_connection" {
  count = length(var.environment_account_ids) > 0 ? 1 : 0

  name               = "${var.name}-proton-environment-account"
  description        = "AWS Proton environment account connection role: provisions environments of the connected accounts into this account."
  assume_role_policy = data.aws_iam_policy_document.environment_account_connection_trust[0].json
}

resource "aws_iam_role_policy_attachment" "environment_account_connection" {
  count = length(var.environment_account_ids) > 0 ? 1 : 0

  role       = aws_iam_role.environment_account_connection[0].name
  policy_arn = aws_iam_policy.provisioning.arn
}

################################################################################
# Personas (managed policies attached to roles, never to users)
################################################################################

data "aws_iam_policy_document" "read_only" {
  statement {
    sid       = "ProtonReadResources"
    actions   = ["proton:Get*", "proton:List*"]
    resources = ["${local.proton_arn_prefix}:*"]
  }

  statement {
    sid       = "ProtonReadAccountLevel"
    actions   = local.read_only_account_actions
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "developer" {
  source_policy_documents = [data.aws_iam_policy_document.read_only.json]

  statement {
    sid       = "ProtonServiceWrite"
    actions   = local.developer_write_actions
    resources = ["${local.proton_arn_prefix}:service/*"]
  }
}

data "aws_iam_policy_document" "platform_admin" {
  source_policy_documents = [data.aws_iam_policy_document.read_only.json]

  statement {
    sid       = "ProtonTemplatesEnvironmentsConnections"
    actions   = local.platform_admin_resource_actions
    resources = ["${local.proton_arn_prefix}:*"]
  }

  statement {
    sid       = "ProtonAccountSettings"
    actions   = local.platform_admin_account_actions
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = [var.region]
    }
  }

  statement {
    sid       = "PassGeneratedRolesToProton"
    actions   = ["iam:PassRole"]
    resources = local.passable_role_arns

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["proton.amazonaws.com"]
    }
  }
}

resource "aws_iam_policy" "read_only" {
  name        = "${var.name}-proton-read-only"
  description = "Persona: read-only access to AWS Proton (Get*, List*)."
  policy      = data.aws_iam_policy_document.read_only.json
}

resource "aws_iam_policy" "developer" {
  name        = "${var.name}-proton-developer"
  description = "Persona: read-only plus the AWS Proton service write actions; no proton:*."
  policy      = data.aws_iam_policy_document.developer.json
}

resource "aws_iam_policy" "platform_admin" {
  name        = "${var.name}-proton-platform-admin"
  description = "Persona: AWS Proton templates, environments, account settings and connections; passes only the generated roles to AWS Proton."
  policy      = data.aws_iam_policy_document.platform_admin.json
}

resource "aws_iam_role" "persona" {
  for_each = local.personas

  name                 = "${var.name}-proton-${each.key}"
  description          = "Persona role: AWS Proton ${each.key}."
  assume_role_policy   = data.aws_iam_policy_document.persona_trust.json
  max_session_duration = 3600
}

resource "aws_iam_role_policy_attachment" "persona" {
  for_each = local.personas

  role       = aws_iam_role.persona[each.key].name
  policy_arn = each.value
}
