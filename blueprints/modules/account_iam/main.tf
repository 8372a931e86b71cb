locals {
  support_role_name = "${var.name}-support"
}

################################################################################
# Password policy (CIS 1.8, 1.9): account-wide, set once in the home region
################################################################################

resource "aws_iam_account_password_policy" "this" {
  #checkov:skip=CKV_AWS_9:CIS AWS Foundations v3.0.0 and NIST SP 800-63B advise against periodic password expiry; max_password_age sets one where policy still demands it.
  count = var.account_wide ? 1 : 0

  minimum_password_length        = var.minimum_password_length
  password_reuse_prevention      = var.password_reuse_prevention
  max_password_age               = var.max_password_age
  require_lowercase_characters   = true
  require_uppercase_characters   = true
  require_numbers                = true
  require_symbols                = true
  allow_users_to_change_password = true
}

################################################################################
# Support role (CIS 1.17): incidents are handled with AWS Support through a role,
# never through a shared user
################################################################################

data "aws_iam_policy_document" "support_trust" {
  count = var.account_wide ? 1 : 0

  statement {
    sid     = "AssumeSupportRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = var.support_trusted_principal_arns
    }

    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }
  }
}

resource "aws_iam_role" "support" {
  count = var.account_wide ? 1 : 0

  name               = local.support_role_name
  description        = "Opens and manages AWS Support cases (CIS AWS Foundations 1.17)."
  assume_role_policy = data.aws_iam_policy_document.support_trust[0].json
}

resource "aws_iam_role_policy_attachment" "support" {
  count = var.account_wide ? 1 : 0

  role       = aws_iam_role.support[0].name
  policy_arn = "arn:${var.partition}:iam::aws:policy/AWSSupportAccess"
}

################################################################################
# IAM Access Analyzer (CIS 1.20): regional, one account analyzer per region
################################################################################

resource "aws_accessanalyzer_analyzer" "this" {
  count = var.create_access_analyzer ? 1 : 0

  analyzer_name = "${var.name}-account"
  type          = "ACCOUNT"
}
