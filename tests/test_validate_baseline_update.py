"""`--baseline F --create-baseline F` updates a baseline; a plain `--baseline` run reports stale entries."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import in_process_cli
from support.validate import write_tree
from typer.testing import CliRunner

from tfgen.cli import app

LEGACY = {
    "main.tf": 'variable "db_password" {\n  default = "legacy-password"\n}\n\nresource "aws_sns_topic" "t" {\n  '
    'name              = "t"\n  kms_master_key_id = "alias/aws/sns"\n}\n',
}
FIXED_PASSWORD = LEGACY["main.tf"].replace('  default = "legacy-password"\n', "")
NEW_TOKEN = 'output "api_token" {\n  value = "new-literal-token"\n}\n'


def tfgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return in_process_cli.tfgen("validate", "--skip-checkov", "--no-cache", *args, cwd=cwd)


def entries(path: Path) -> set[tuple[str, str, str | None]]:
    return {(e["id"], e["file"], e["resource"]) for e in json.loads(path.read_text())["findings"]}


def test_both_flags_update_the_file(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "repo", LEGACY)
    assert tfgen(tree, "--create-baseline", "b.json").returncode == 0
    assert entries(tree / "b.json") == {
        ("TFGEN_SECRETS_2", "main.tf", "var.db_password"),
        ("TFGEN_ENC_3", "main.tf", "aws_sns_topic.t"),
    }
    (tree / "main.tf").write_text(FIXED_PASSWORD)  # one entry fixed
    (tree / "new.tf").write_text(NEW_TOKEN)  # one new finding
    updated = tfgen(tree, "--baseline", "b.json", "--create-baseline", "b.json", "--format", "json")
    assert updated.returncode == 0, updated.stderr
    assert entries(tree / "b.json") == {
        ("TFGEN_ENC_3", "main.tf", "aws_sns_topic.t"),
        ("TFGEN_SECRETS_2", "new.tf", "output.api_token"),
    }
    assert "tfgen: baseline b.json: 2 entries (1 added, 1 dropped)" in updated.stderr
    report = json.loads(updated.stdout)
    assert report["baseline"] == {"entries": 2, "unmatched": [], "added": 1, "dropped": 1}
    assert report["summary"]["baseline_unmatched"] == 0
    assert not [p for p in tree.iterdir() if p.name.endswith(".tmp")], "no temporary file left beside the baseline"


def test_unmatched_entries_are_reported_in_the_summary(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "repo", LEGACY)
    assert tfgen(tree, "--create-baseline", "b.json").returncode == 0
    (tree / "main.tf").write_text(FIXED_PASSWORD)
    text = tfgen(tree, "--baseline", "b.json")
    assert text.returncode == 0
    assert text.stdout.strip().splitlines()[-1].endswith("0 errors; 1 baseline entries unmatched")
    as_json = json.loads(tfgen(tree, "--baseline", "b.json", "--format", "json").stdout)
    assert as_json["summary"]["baseline_unmatched"] == 1
    assert as_json["baseline"] == {
        "entries": 2,
        "unmatched": [{"id": "TFGEN_SECRETS_2", "file": "main.tf", "resource": "var.db_password"}],
    }
    clean = tfgen(tree, "--baseline", "b.json", "--check", "TFGEN_ENC_3")  # the stale entry's check did not run
    assert "unmatched" not in clean.stdout


def test_an_update_keeps_what_the_run_could_not_see(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "repo", LEGACY)
    assert tfgen(tree, "--create-baseline", "b.json").returncode == 0
    before = entries(tree / "b.json")
    # Only TFGEN_ENC_3 ran: the TFGEN_SECRETS_2 entry is kept although no finding matched it.
    assert tfgen(tree, "--baseline", "b.json", "--create-baseline", "b.json", "--check", "TFGEN_ENC_3").returncode == 0
    assert entries(tree / "b.json") == before
    # A file that no longer parses was not checked: its entries are kept, and not reported as unmatched.
    (tree / "main.tf").write_text(LEGACY["main.tf"] + "broken = \n")
    assert '"baseline_unmatched": 0' in tfgen(tree, "--baseline", "b.json", "--format", "json").stdout
    assert tfgen(tree, "--baseline", "b.json", "--create-baseline", "b.json").returncode == 1  # the syntax error fails
    assert entries(tree / "b.json") == before
    (tree / "main.tf").write_text(LEGACY["main.tf"])
    # Each shard sees only its own files; two shard updates keep every entry.
    write_tree(tree, {"other/x.tf": NEW_TOKEN})
    assert tfgen(tree, "--baseline", "b.json", "--create-baseline", "b.json").returncode == 0
    full = entries(tree / "b.json")
    for shard in ("1/2", "2/2"):
        assert tfgen(tree, "--baseline", "b.json", "--create-baseline", "b.json", "--shard", shard).returncode == 0
        assert entries(tree / "b.json") == full


def test_a_new_finding_still_fails_after_an_update(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "repo", LEGACY)
    assert tfgen(tree, "--baseline", "b.json", "--create-baseline", "b.json").returncode == 2  # nothing to update yet
    assert not (tree / "b.json").exists()
    assert tfgen(tree, "--create-baseline", "b.json").returncode == 0
    (tree / "new.tf").write_text(NEW_TOKEN)
    failed = tfgen(tree, "--baseline", "b.json")
    assert failed.returncode == 1 and "new.tf" in failed.stdout


_FILES = ("a.tf", "b.tf", "sub/c.tf")
_VARIABLES = ("db_password", "api_token", "secret_key")
_STATES = st.sets(st.tuples(st.sampled_from(_FILES), st.sampled_from(_VARIABLES)), max_size=6)


def _write_state(tree: Path, state: set[tuple[str, str]]) -> None:
    for rel in _FILES:
        text = "".join(f'variable "{v}" {{\n  default = "literal-{v}"\n}}\n' for f, v in sorted(state) if f == rel)
        write_tree(tree, {rel: text or "# nothing here\n"})


def _json_run(tree: Path, *args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(app, ["validate", str(tree), "--skip-checkov", "--no-cache", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=_STATES, after=_STATES)
def test_an_update_holds_exactly_todays_findings(
    tmp_path_factory: pytest.TempPathFactory, before: set[tuple[str, str]], after: set[tuple[str, str]]
) -> None:
    work = tmp_path_factory.mktemp("update")
    tree, baseline = work / "tree", str(work / "b.json")
    _write_state(tree, before)
    assert _json_run(tree, "--create-baseline", baseline)[0] == 0
    _write_state(tree, after)
    expected = {("TFGEN_SECRETS_2", f, f"var.{v}") for f, v in after}
    code, stale = _json_run(tree, "--baseline", baseline)
    assert code == (1 if after - before else 0)
    assert stale["summary"]["baseline_unmatched"] == len(before - after)
    code, updated = _json_run(tree, "--baseline", baseline, "--create-baseline", baseline)
    assert code == 0 and entries(Path(baseline)) == expected
    assert (updated["baseline"]["added"], updated["baseline"]["dropped"]) == (len(after - before), len(before - after))
    code, again = _json_run(tree, "--baseline", baseline)
    assert code == 0 and again["summary"]["baseline_unmatched"] == 0
