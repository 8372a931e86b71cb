"""A finding's status, shared by the rules that decide it and the report that counts it."""

PASSED = "passed"
FAILED = "failed"
SKIPPED = "skipped"
STATUSES = (PASSED, FAILED, SKIPPED)
