# expect: TFGEN_IAM_3
# An anonymous caller has no aws:PrincipalOrgID, so StringEqualsIfExists lets it in; a Null test
# only asks whether the key is there (any signed request from any account has it).
resource "aws_secretsmanager_secret" "api" {
  name       = "app/api"
  kms_key_id = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

resource "aws_secretsmanager_secret_policy" "api" {
  secret_arn = aws_secretsmanager_secret.api.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "OrgIfPresent"
        Effect    = "Allow"
        Principal = "*"
        Action    = "secretsmanager:GetSecretValue"
        Resource  = "*"
        Condition = {
          StringEqualsIfExists = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" }
        }
      },
      {
        Sid       = "AnySignedCaller"
        Effect    = "Allow"
        Principal = "*"
        Action    = "secretsmanager:DescribeSecret"
        Resource  = "*"
        Condition = {
          Null = { "aws:PrincipalAccount" = "false" }
        }
      },
    ]
  })
}
