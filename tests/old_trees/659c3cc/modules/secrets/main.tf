################################################################################
# Secrets Manager: containers only, encrypted with the secrets key
################################################################################

resource "aws_secretsmanager_secret" "this" {
  for_each = var.secret_names
  #checkov:skip=CKV2_AWS_57:Rotation needs a rotation Lambda written for the issuer of each credential (for example a repository token issued by the Git provider); tfgen declares the secret containers only and leaves rotation to the credential's owner.

  name                    = each.value
  description             = "Managed by tfgen. The value is put out of band and never appears in Terraform files or state."
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_in_days
}

################################################################################
# SSM Parameter Store: SecureString, value generated at apply time, write-only
################################################################################

# Ephemeral: generated during apply, handed to the write-only argument below and never
# stored in the plan or the state.
ephemeral "aws_secretsmanager_random_password" "parameter" {
  count = length(var.secure_parameter_names) > 0 ? 1 : 0

  password_length     = 32
  exclude_punctuation = true
}

resource "aws_ssm_parameter" "this" {
  for_each = var.secure_parameter_names

  name        = each.value
  description = "Managed by tfgen. The value is write-only: Terraform neither stores nor reads it back."
  type        = "SecureString"
  key_id      = var.kms_key_arn

  # Sent only when value_wo_version changes; overwrite the value out of band at will.
  value_wo         = ephemeral.aws_secretsmanager_random_password.parameter[0].random_password
  value_wo_version = var.secure_parameter_value_version
}
