admin_policy = "arn:aws:iam::aws:policy/SecretsManagerReadWrite"
