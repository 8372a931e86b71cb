"""Valid Terraform is never a syntax error, however deep it nests; a pathological depth is one
TFGEN_READ line naming the file, never a RecursionError traceback or a crashed parse worker."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import terraform as tfenv

from tfgen.hcl import parsing

NESTED_200 = Path(__file__).parent / "deep_cases" / "nested_200"
NOT_PASSED = {"TFGEN_SYNTAX", "TFGEN_READ", "TFGEN_INTERNAL"}


def validate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tfgen", "validate", "--skip-checkov", "--no-cache", "--format", "json", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def failed(result: subprocess.CompletedProcess[str]) -> list[tuple[str, str, int, str | None]]:
    assert "Traceback" not in result.stderr
    findings = json.loads(result.stdout)["findings"]
    return [(f["id"], f["file"], f["line"], f.get("message")) for f in findings if f["status"] == "failed"]


def pathological(depth: int) -> str:
    # generated, not a case file: ~10 KB of brackets nobody writes, to prove the limit holds
    return "locals {\n  x = " + "[" * depth + "1" + "]" * depth + "\n}\n"


def test_terraform_accepts_the_deep_case(terraform_env: tfenv.TerraformEnv, tmp_path: Path) -> None:
    work = tfenv.copy_tree(NESTED_200, tmp_path / "work")
    assert terraform_env.run(["fmt", "-check", "-no-color"], work, check=False).returncode == 0
    assert terraform_env.run(["init", "-backend=false", "-input=false", "-no-color"], work, check=False).returncode == 0
    validated = terraform_env.run(["validate", "-json", "-no-color"], work, check=False)
    assert json.loads(validated.stdout)["valid"] is True, validated.stdout


def test_valid_deep_nesting_is_not_a_syntax_error() -> None:
    result = validate(str(NESTED_200))
    assert failed(result) == [] and result.returncode == 0, result.stdout[-2000:]


def test_deep_files_parse_in_workers_too() -> None:
    item = ("main.tf", "main.tf", (NESTED_200 / "main.tf").read_bytes())
    values = parsing._in_worker([item, item])  # None would mean the worker process failed
    assert values is not None and all("error" not in v for v in values), values and values[0].get("problem")


@pytest.mark.parametrize("depth", [parsing.MAX_NESTING, 5000])
def test_too_deep_is_one_clear_read_finding(tmp_path: Path, depth: int) -> None:
    (tmp_path / "main.tf").write_text(pathological(depth))
    (tmp_path / "ok.tf").write_text('variable "region" {\n  type = string\n}\n')
    result = validate(str(tmp_path))
    assert result.returncode == 1
    assert failed(result) == [
        (
            "TFGEN_READ",
            "main.tf",
            2,
            f"nested {depth + 1} levels deep; tfgen reads Terraform nested at most {parsing.MAX_NESTING} levels",
        )
    ]
    item = ("main.tf", "main.tf", pathological(depth).encode())
    assert parsing._in_worker([item]) == [{"error": "input", "line": 2, "problem": failed(result)[0][3]}]


def test_just_under_the_limit_passes(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(pathological(parsing.MAX_NESTING - 1))
    result = validate(str(tmp_path))
    assert failed(result) == [] and result.returncode == 0
