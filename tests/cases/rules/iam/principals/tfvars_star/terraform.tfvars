principals = ["*"]
