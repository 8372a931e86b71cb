# expect: TFGEN_SECRETS_1
