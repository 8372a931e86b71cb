"""Each limit lives once (tfgen/init/facts.py): `--config` validation and Terraform's variable validation agree on it.

Terraform is the judge of the rendered validations: each variable block is copied once per value
under a name of its own (`v0`, `v1`, ...) and one `terraform console` run evaluates them all;
Terraform names every variable whose validation fails. The static modules cannot read the facts,
so their copies of the limits are held to the same values here.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from support import terraform_grammar

from tfgen.errors import InvalidValueError
from tfgen.hcl.read import parse_text
from tfgen.init import facts
from tfgen.init.config import build_config, check_answer
from tfgen.init.render import blueprint_root, render_baseline

pytestmark = pytest.mark.skipif(
    terraform_grammar.skip_reason() is not None, reason=terraform_grammar.skip_reason() or ""
)

NAMES = [
    "ab",
    "abc",
    "a" * facts.NAME_MAX_LENGTH,
    "a" * (facts.NAME_MAX_LENGTH + 1),
    "a-b",
    "a--b",
    "ab-",
    "1ab",
    "aBc",
]
LOG_RETENTION = [
    facts.MIN_LOG_RETENTION_DAYS - 1,
    180,
    facts.MIN_LOG_RETENTION_DAYS,
    366,
    *facts.LOG_RETENTION_DAYS[1:],
    3654,
]
NONCURRENT = [
    facts.NONCURRENT_DAYS_MIN - 1,
    facts.NONCURRENT_DAYS_MIN,
    2,
    facts.NONCURRENT_DAYS_MAX,
    facts.NONCURRENT_DAYS_MAX + 1,
]

EMAILS = [
    "security@example.com",
    "first.last+cis@sub.example.org",
    "a@b",
    "no-at.example.com",
    "two@@example.com",
    "x y@example.com",
    "x@example.c",
    '"quoted"@example.com',
]


def _variable_block(text: str, name: str) -> str:
    lines = text.splitlines()
    for block in parse_text(text, "variables.tf").blocks:
        if block.type == "variable" and block.labels == (name,):
            return "\n".join(lines[block.line - 1 : block.end_line]) + "\n"
    raise AssertionError(f"no variable {name}")


def refused_by_terraform(tmp_path: Path, variables_tf: str, name: str, values: list[Any]) -> list[Any]:
    """The values the validation of `variable "name"` in `variables_tf` refuses, as `terraform console` says."""
    block = _variable_block(variables_tf, name)
    copies = []
    args = []
    for i, value in enumerate(values):
        copies.append(re.sub(rf'variable "{name}"', f'variable "v{i}"', block).replace(f"var.{name}", f"var.v{i}"))
        args.append(f"-var=v{i}={value}")
    (tmp_path / "variables.tf").write_text("\n".join(copies), encoding="utf-8")
    executable = terraform_grammar.terraform()
    assert executable is not None
    result = subprocess.run(
        [executable, "console", "-no-color", *args],
        input="1\n",
        capture_output=True,
        text=True,
        env=terraform_grammar._env(),
        cwd=tmp_path,
        timeout=terraform_grammar.TIMEOUT,
        check=False,
    )
    failed = {int(i) for i in re.findall(r'variable "v(\d+)"', result.stderr)}
    assert "Invalid value for variable" in result.stderr or not failed, result.stderr
    return [value for i, value in enumerate(values) if i in failed]


def refused_by_config(name: str, values: list[Any]) -> list[Any]:
    refused = []
    for value in values:
        try:
            check_answer(name, value, "aws")
        except InvalidValueError:
            refused.append(value)
    return refused


def _root_variables() -> str:
    return render_baseline(build_config({"account_id": "123456789012", "region": "eu-west-1", "name": "acme"}))[
        "variables.tf"
    ]


@pytest.mark.parametrize(
    ("variable", "values"),
    [
        ("name", NAMES),
        ("log_retention_days", LOG_RETENTION),
        ("noncurrent_version_retention_days", NONCURRENT),
        ("alarm_email", EMAILS),
    ],
)
def test_the_rendered_validation_refuses_what_config_refuses(tmp_path: Path, variable: str, values: list[Any]) -> None:
    refused = refused_by_config(variable, values)
    assert refused and len(refused) < len(values)  # the boundary is inside the sample
    assert refused_by_terraform(tmp_path, _root_variables(), variable, values) == refused


@pytest.mark.parametrize(
    ("module", "variable", "answer", "values"),
    [
        ("cloudtrail", "log_retention_days", "log_retention_days", LOG_RETENTION),
        ("s3", "noncurrent_version_expiration_days", "noncurrent_version_retention_days", NONCURRENT),
        ("account_audit", "alarm_email", "alarm_email", EMAILS),
    ],
)
def test_the_static_modules_hold_the_same_limits(
    tmp_path: Path, module: str, variable: str, answer: str, values: list[Any]
) -> None:
    text = (blueprint_root() / "modules" / module / "variables.tf").read_text(encoding="utf-8")
    assert refused_by_terraform(tmp_path, text, variable, values) == refused_by_config(answer, values)
