# expect: TFGEN_SECRETS_1
region           = "eu-west-1"
repository_token = "ghp_R2d2C3poR2d2C3poR2d2C3poR2d2C3po1234"
