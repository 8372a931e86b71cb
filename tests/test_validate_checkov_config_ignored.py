"""checkov's own configuration never reaches tfgen's checkov run: a `.checkov.yaml` in the scanned
tree, in the working directory or in the home directory, and `CKV_*` variables in the environment,
could skip checks without a word or make checkov import a repository's Python (`external-checks-dir`).
tfgen's settings (`.tfgen.toml`, trusted explicitly) are the one way to change what runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support.subprocess_cli import tfgen
from support.validate import checkov_or_skip

CASE = Path(__file__).parent / "checkov_cases" / "planted_config"
SKIPPED = "CKV_AWS_21"  # versioning: fails CASE's bucket


def plant(directory: Path, marker: Path) -> None:
    """A checkov config that skips SKIPPED and loads an external check that writes `marker` on import."""
    checks = directory / "checks"
    checks.mkdir(parents=True)
    (checks / "planted.py").write_text(
        f"from pathlib import Path\nPath({str(marker)!r}).write_text('imported')\n", encoding="utf-8"
    )
    (directory / ".checkov.yaml").write_text(
        f"external-checks-dir:\n  - {checks}\nskip-check:\n  - {SKIPPED}\nsoft-fail: true\n", encoding="utf-8"
    )


@pytest.mark.checkov
def test_checkovs_own_configuration_is_ignored_wherever_it_is(tmp_path: Path) -> None:
    """A config in the scanned tree, in the working directory and in the home directory, and `CKV_*`
    variables, all at once. Each alone would skip SKIPPED (the report would not fail CASE's bucket),
    and each file would import its own planted check: one checkov run answers for every place."""
    checkov = checkov_or_skip()
    tree = tmp_path / "tree"
    shutil.copytree(CASE, tree)
    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    markers = {where: tmp_path / f"imported-from-{where}" for where in ("scanned-tree", "working-directory", "home")}
    plant(tree, markers["scanned-tree"])
    plant(work, markers["working-directory"])
    plant(home, markers["home"])
    env = {
        "HOME": str(home),
        "TFGEN_CHECKOV": str(checkov),
        "CKV_SKIP_CHECK": SKIPPED,
        "CKV_FRAMEWORK": "secrets",
        "CKV_SOFT_FAIL": "true",
    }

    result = tfgen("validate", str(tree), "--no-cache", "--format", "json", cwd=work, env=env)

    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    statuses = {(f["id"], f["status"]) for f in report["findings"]}
    assert (SKIPPED, "failed") in statuses, sorted(statuses)
    assert not any(f["status"] == "skipped" for f in report["findings"]), report["findings"]
    assert [where for where, marker in markers.items() if marker.exists()] == [], "checkov imported a planted check"
