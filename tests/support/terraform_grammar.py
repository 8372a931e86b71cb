"""Terraform's own parser as the judge of rendered HCL: `fmt` and `console` need no provider or network.

python-hcl2 accepts text Terraform rejects (`{ for = "x" }` is a for expression to Terraform), so
tests that promise "Terraform parses this" ask Terraform. `terraform fmt -` checks one text in
~70 ms on this machine; `check_tree` checks a whole batch of files with one process; `evaluate`
(~100 ms) returns what Terraform reads an expression as, through base64 of JSON, so no HCL
decoder of tfgen's stands between Terraform and the test.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# A hung terraform must fail the test run, not stall it; fmt takes well under a second.
TIMEOUT = 120.0


def terraform() -> str | None:
    return shutil.which("terraform")


def skip_reason() -> str | None:
    return None if terraform() else "terraform is not on PATH: Terraform's own parser cannot be asked"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    env["TF_CLI_CONFIG_FILE"] = os.devnull  # no user CLI config; fmt needs none
    env["CHECKPOINT_DISABLE"] = "1"
    return env


def _run(args: list[str], stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    executable = terraform()
    assert executable is not None, skip_reason()
    return subprocess.run(
        [executable, *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(),
        timeout=TIMEOUT,
        check=False,
        cwd=cwd,
    )


def parses(text: str) -> subprocess.CompletedProcess[str]:
    """`terraform fmt -`: exit 0 when Terraform's grammar accepts `text`; stdout is its canonical form."""
    return _run(["fmt", "-no-color", "-"], stdin=text)


def write_batch(files: Mapping[str, str | bytes], into: Path) -> None:
    """Write a rendered tree where `terraform fmt -recursive` reads it (`.tfvars.example` -> `.tfvars`)."""
    for rel, content in files.items():
        if not rel.endswith((".tf", ".tfvars", ".tfvars.example")):
            continue
        target = into / (rel[: -len(".example")] if rel.endswith(".tfvars.example") else rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


def check_tree(root: Path) -> subprocess.CompletedProcess[str]:
    """`terraform fmt -check -recursive`: exit 0 when every file parses and is already canonical."""
    return _run(["fmt", "-check", "-recursive", "-no-color", str(root)])


def evaluate(module: Path, expression: str, *args: str) -> Any:
    """The value of `expression` as `terraform console` evaluates it in `module` (extra args: `-var-file=...`).

    console also runs the variables' `validation` blocks; it prints a failed one on stderr (and a
    warning on stdout) but still exits 0 and prints the value, so both streams are checked here.
    """
    result = _run(["console", "-no-color", *args], stdin=f"base64encode(jsonencode({expression}))\n", cwd=module)
    assert result.returncode == 0 and "Error:" not in result.stderr and "Warning:" not in result.stdout, result.stderr
    printed = result.stdout.strip()
    assert printed.startswith('"') and printed.endswith('"'), printed
    return json.loads(base64.b64decode(printed[1:-1]))
