"""A baseline accepts exactly what was accepted: id, file, resource and a fingerprint of the flagged line.

The case that asked for it: a baseline made for an existing repository hid a GitHub token added
later to the same provider block, because an entry named only the check, the file and the block.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

from support.in_process_cli import tfgen as run_tfgen
from support.validate import write_tree

OLD_TOKEN = "ghp_" + "R2d2C3po" * 4 + "1234"
NEW_TOKEN = "ghp_" + "B8b8K2so" * 4 + "5678"
PROVIDER = f'provider "github" {{\n  owner = "acme"\n  token = "{OLD_TOKEN}"\n}}\n'
TOPIC = 'resource "aws_sns_topic" "t" {\n  name              = "t"\n  kms_master_key_id = "alias/aws/sns"\n}\n'


def tfgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_tfgen("validate", "--skip-checkov", "--no-cache", *args, cwd=cwd)


def failed(result: subprocess.CompletedProcess[str]) -> list[tuple[str, str, int]]:
    report = json.loads(result.stdout)
    return [(f["id"], f["file"], f["line"]) for f in report["findings"] if f["status"] == "failed"]


def test_a_new_credential_in_a_baselined_block_fails(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "repo", {"main.tf": PROVIDER + "\n" + TOPIC})
    assert tfgen(tree, "--create-baseline", "b.json").returncode == 0
    assert tfgen(tree, "--baseline", "b.json").returncode == 0
    # The same block, a second token: the entry (TFGEN_SECRETS_1, main.tf, provider.github) no longer hides it.
    (tree / "main.tf").write_text(PROVIDER.replace("}\n", f'  app_auth_token = "{NEW_TOKEN}"\n}}\n') + "\n" + TOPIC)
    result = tfgen(tree, "--baseline", "b.json", "--format", "json")
    assert result.returncode == 1
    assert failed(result) == [("TFGEN_SECRETS_1", "main.tf", 4)]


def test_a_changed_value_on_the_accepted_line_fails(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "repo", {"main.tf": PROVIDER + "\n" + TOPIC})
    assert tfgen(tree, "--create-baseline", "b.json").returncode == 0
    (tree / "main.tf").write_text(PROVIDER.replace(OLD_TOKEN, NEW_TOKEN) + "\n" + TOPIC)
    result = tfgen(tree, "--baseline", "b.json", "--format", "json")
    assert result.returncode == 1 and failed(result) == [("TFGEN_SECRETS_1", "main.tf", 3)]
    (tree / "main.tf").write_text(PROVIDER + "\n" + TOPIC.replace("alias/aws/sns", "alias/aws/sqs"))
    result = tfgen(tree, "--baseline", "b.json", "--format", "json")
    assert result.returncode == 1 and failed(result) == [("TFGEN_ENC_3", "main.tf", 8)]


def test_moved_and_reindented_lines_stay_accepted(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "repo", {"main.tf": PROVIDER + "\n" + TOPIC})
    assert tfgen(tree, "--create-baseline", "b.json").returncode == 0
    moved = (
        "# a comment above\n\n" + TOPIC.replace("name              =", "name =") + "\n" + PROVIDER.replace("  ", "    ")
    )
    (tree / "main.tf").write_text(moved)
    result = tfgen(tree, "--baseline", "b.json", "--format", "json")
    assert result.returncode == 0, result.stdout
    assert failed(result) == []


def test_the_baseline_holds_no_credential_and_no_plain_hash_of_one(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "repo", {"main.tf": PROVIDER})
    assert tfgen(tree, "--create-baseline", "b.json").returncode == 0
    text = (tree / "b.json").read_text()
    data = json.loads(text)
    assert data["format"] == 2 and all(len(e["fingerprint"]) == 16 for e in data["findings"])
    for secret in (OLD_TOKEN, f'token = "{OLD_TOKEN}"'):
        assert secret not in text
        assert hashlib.sha256(secret.encode()).hexdigest()[:16] not in text
        assert hashlib.sha1(secret.encode()).hexdigest() not in text


def test_create_baseline_says_how_many_critical_findings_it_accepts_and_lists_them(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "repo", {"main.tf": PROVIDER + "\n" + TOPIC})
    created = tfgen(tree, "--create-baseline", "b.json")
    assert created.returncode == 0
    lines = created.stderr.splitlines()
    assert lines[0] == "tfgen: baseline b.json: 2 entries (2 added, 0 dropped); it accepts 1 critical findings:"
    assert lines[1].startswith("tfgen:   main.tf:3: TFGEN_SECRETS_1 [secrets/critical] ")
    assert OLD_TOKEN not in created.stderr and len(lines) == 2
    clean = write_tree(tmp_path / "clean", {"main.tf": TOPIC})
    assert tfgen(clean, "--create-baseline", "b.json").stderr.splitlines() == [
        "tfgen: baseline b.json: 1 entries (1 added, 0 dropped); it accepts 0 critical findings"
    ]


def test_an_older_baseline_keeps_working_but_for_secret_checks(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "repo", {"main.tf": PROVIDER + "\n" + TOPIC})
    older = {
        "tool": "tfgen",
        "version": "0.1.0",
        "format": 1,
        "findings": [
            {"id": "TFGEN_ENC_3", "file": "main.tf", "resource": "aws_sns_topic.t"},
            {"id": "TFGEN_SECRETS_1", "file": "main.tf", "resource": "provider.github"},
        ],
    }
    (tree / "b.json").write_text(json.dumps(older))
    result = tfgen(tree, "--baseline", "b.json", "--format", "json")
    assert result.returncode == 1
    assert failed(result) == [("TFGEN_SECRETS_1", "main.tf", 3)]  # the non-secret entry still accepts
    warnings = [line for line in result.stderr.splitlines() if "fingerprint" in line]
    assert warnings == [
        "tfgen: warning: baseline b.json: 1 entries of secret checks predate fingerprints and accept nothing: "
        "re-create them with --baseline and --create-baseline both naming this file"
    ]
    recreated = tfgen(tree, "--baseline", "b.json", "--create-baseline", "b.json")
    assert recreated.returncode == 0 and "it accepts 1 critical findings:" in recreated.stderr
    assert all(e.get("fingerprint") for e in json.loads((tree / "b.json").read_text())["findings"])
    again = tfgen(tree, "--baseline", "b.json")
    assert again.returncode == 0 and "fingerprint" not in again.stderr


def test_a_malformed_fingerprint_is_one_line_exit_2(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "repo", {"main.tf": TOPIC})
    entry = {"id": "TFGEN_ENC_3", "file": "main.tf", "resource": "aws_sns_topic.t", "fingerprint": ["x"]}
    (tree / "b.json").write_text(json.dumps({"findings": [entry]}))
    result = tfgen(tree, "--baseline", "b.json")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "is not a tfgen baseline" in result.stderr and "Traceback" not in result.stderr
