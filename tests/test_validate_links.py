"""Every finding links its own page: JSON `url`, SARIF `helpUri`, text `read more`.

No "how to fix" repeats the title.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from support import in_process_cli
from support.subprocess_cli import tfgen as run_tfgen
from support.validate import ROOT, checkov_or_skip

from tfgen.checkov import env as checkov_env
from tfgen.validate.registry import PRACTICE_READING, checkov_data, checks, ordered, read_more

CASE = ROOT / "tests" / "cases" / "fix_first"
PINNED = f"https://github.com/bridgecrewio/checkov/blob/{checkov_env.CHECKOV_VERSION}/"


def tfgen(cwd: Path, *args: str, in_a_process: bool = True) -> subprocess.CompletedProcess[str]:
    """`python -m tfgen ARGS`, or the entry point in this process, with lines 200 columns wide."""
    run = run_tfgen if in_a_process else in_process_cli.tfgen
    return run(*args, cwd=cwd, env={"COLUMNS": "200"})


def test_every_check_has_its_own_page() -> None:
    assert checkov_data()["checkov_version"] == checkov_env.CHECKOV_VERSION
    practice_pages = set(PRACTICE_READING.values())
    for check in ordered():
        if check.engine == "checkov":
            assert check.url and check.url.startswith(PINNED), check.id
            if check.fix:
                assert check.fix != check.title
        elif check.practice is not None:  # tfgen's rules: a page on what the rule asks, not the practice's
            assert check.url and check.url.startswith("https://") and check.url not in practice_pages, check.id
    pages = [c.url for c in ordered("checkov")]
    assert len(set(pages)) > len(pages) // 2, "checkov's checks link pages of their own, not one index"


def test_the_pinned_sources_exist_in_the_pinned_checkov() -> None:
    executable = checkov_or_skip()
    site = subprocess.run(
        [
            str(Path(executable).parent / "python"),
            "-c",
            "import checkov, os; print(os.path.dirname(checkov.__path__[0]))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    for entry in checkov_data()["checks"]:
        path, _, line = entry["source"].partition("#L")
        source = Path(site) / path
        assert source.is_file(), entry["id"]
        if line:  # a secrets check: the line of the mapping that names its id
            assert f"'{entry['id']}'" in source.read_text(encoding="utf-8").splitlines()[int(line) - 1]


@pytest.mark.checkov
def test_json_sarif_and_text_link_each_checks_page(tmp_path: Path) -> None:
    checkov_or_skip()
    shutil.copytree(CASE, tmp_path / "tree")
    # one run writes all three (`-o FORMAT=FILE` is the report `--format FORMAT` prints:
    # tests/test_validate_outputs.py): one tfgen start and one checkov start instead of three tfgens
    reports = {fmt: tmp_path / f"report.{fmt}" for fmt in ("json", "sarif")}
    written = [arg for fmt, path in reports.items() for arg in ("-o", f"{fmt}={path}")]
    text = tfgen(tmp_path, "validate", "tree", "--no-cache", *written).stdout
    as_json = json.loads(reports["json"].read_text())
    sarif = json.loads(reports["sarif"].read_text())
    failed = [f for f in as_json["findings"] if f["status"] == "failed"]
    assert {f["engine"] for f in failed} == {"tfgen", "checkov"}
    for finding in as_json["findings"]:
        assert finding["url"] == read_more(finding["id"])
    help_uri = {r["id"]: r.get("helpUri") for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    for finding in failed:
        url = finding["url"]
        assert url and help_uri[finding["id"]] == url
        assert f"read more: {url}" in text
        if finding["engine"] == "checkov":
            assert url.startswith(PINNED)
    # no "how to fix" that only repeats the title
    for match in re.finditer(r"^  how to fix (\S+): (.*)$", text, re.M):
        assert match.group(2) != checks()[match.group(1)].title, match.group(0)
    assert "how to fix CKV_AWS_158: Set `kms_key_id`." in text
    assert "  CKV_AWS_338: read more: " + PINNED in text  # no plain fix: its page alone


def test_explain_names_the_same_page(tmp_path: Path) -> None:
    for check_id in ("TFGEN_IAM_1", "CKV_AWS_158", "CKV_SECRET_2"):
        shown = tfgen(tmp_path, "explain", check_id, in_a_process=False)
        assert shown.returncode == 0
        assert f"read more: {read_more(check_id)}" in shown.stdout
        as_json = tfgen(tmp_path, "explain", check_id, "--format", "json", in_a_process=False)
        assert json.loads(as_json.stdout)["url"] == read_more(check_id)
