"""`checkov --list` of the installed checkov (offline), for the tests that compare tfgen's catalogues with it."""

from __future__ import annotations

import subprocess

from support.validate import checkov_or_skip

from tfgen import checkov_env


def checkov_list() -> str:
    """The table `checkov --list --framework terraform secrets` prints; skips the test without checkov."""
    checkov = checkov_or_skip()
    result = subprocess.run([str(checkov), "--list", "--framework", "terraform", "secrets"], capture_output=True,
                            text=True, env=checkov_env.offline_environment(), timeout=300)
    assert result.returncode == 0, result.stderr[-500:]
    return result.stdout
