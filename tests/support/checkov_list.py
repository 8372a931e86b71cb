"""`checkov --list` of the installed checkov (offline), for the tests that compare tfgen's catalogues with it."""

from __future__ import annotations

import subprocess

from support.validate import checkov_or_skip
from tfgen.checkov import env as checkov_env


def checkov_list() -> str:
    """The table `checkov --list --framework terraform secrets` prints; skips the test without checkov."""
    checkov = checkov_or_skip()
    result = subprocess.run(
        [str(checkov), "--list", "--framework", "terraform", "secrets"],
        capture_output=True,
        text=True,
        env=checkov_env.offline_environment(),
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-500:]
    return result.stdout


def list_rows(text: str) -> list[tuple[str, str, str, str]]:
    """The table's rows as (id, kind, entity, title), titles stripped as checkov's table pads them."""
    rows = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) >= 7 and parts[2].startswith("CKV"):
            rows.append((parts[2], parts[3], parts[4], parts[5]))
    return rows
