# passes: TFGEN_ENC_3
use_cmk = true
