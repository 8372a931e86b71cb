# expect: TFGEN_ENC_1
# Terraform's JSON syntax, with the pre-v4 inline encryption block.
