use_cmk = false
