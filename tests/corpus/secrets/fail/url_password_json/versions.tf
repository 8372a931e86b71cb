# expect: TFGEN_SECRETS_1
# Terraform's JSON syntax: the literal sits in main.tf.json.
