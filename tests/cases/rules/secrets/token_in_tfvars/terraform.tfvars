region = "eu-west-1"
token  = "ghp_R2d2C3poR2d2C3poR2d2C3poR2d2C3po1234"
