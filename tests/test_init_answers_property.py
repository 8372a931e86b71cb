"""Any TOML value for any answer: init succeeds with every value a literal Terraform reads back
exactly, or refuses with one line naming the field (exit 2). Nothing else: no traceback, no
internal error, no exit 1, nothing written on a refusal.

The oracle for "a literal" is Terraform itself: `terraform console` evaluates the variables'
defaults and the example tfvars (as base64 of JSON, so its output needs no HCL decoder), and
`terraform fmt -check` proves every rendered file parses and is canonical.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import hcl2
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from support import terraform_grammar, toml_text
from support.hostile import HOSTILE_FRAGMENTS, HOSTILE_KEYS
from tfgen.cli import app
from tfgen.config import FIELD_NAMES, LOG_RETENTION_DAYS, REQUIRED, build_config

pytestmark = pytest.mark.skipif(terraform_grammar.skip_reason() is not None, reason=terraform_grammar.skip_reason() or "")

GOOD_FLAGS = {"account_id": "123456789012", "region": "eu-west-1", "name": "acme"}

# --- any TOML value ---------------------------------------------------------------------------

_hostile_text = st.lists(st.sampled_from(HOSTILE_FRAGMENTS), max_size=8).map("".join)
_any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=24)
_scalars = st.one_of(
    _any_text,
    _hostile_text,
    st.integers(),
    st.sampled_from([0, -1, 365, 3653, 2**63, -(2**63), 10**400, -(10**400)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(timezones=st.sampled_from([None, dt.timezone.utc])),
    st.dates(),
    st.times(),
)
_table_keys = st.one_of(st.sampled_from(HOSTILE_KEYS), _any_text, _hostile_text)
any_toml_value = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_table_keys, inner, max_size=3), max_leaves=6
)

# --- plausible answers, so that the success path is walked too ----------------------------------

_account = st.from_regex(r"[0-9]{12}", fullmatch=True)
_role_arn = st.builds(
    lambda partition, account, name: f"arn:{partition}:iam::{account}:role/{name}",
    st.sampled_from(["aws", "aws", "aws-us-gov", "aws-cn"]),
    _account,
    st.from_regex(r"[A-Za-z0-9_+=,.@-]{1,20}", fullmatch=True),
)
_tag_key = st.one_of(st.sampled_from(HOSTILE_KEYS), st.from_regex(r"[A-Za-z0-9 _.:/=+@-]{1,20}", fullmatch=True), _any_text)
_tag_value = st.one_of(_hostile_text, _any_text, st.from_regex(r"[A-Za-z0-9 _.:/=+@-]{0,20}", fullmatch=True))
PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "account_id": _account,
    "region": st.sampled_from(["eu-west-1", "us-east-1", "us-gov-west-1", "cn-north-1"]),
    "name": st.from_regex(r"[a-z][a-z0-9]{1,10}[a-z0-9]", fullmatch=True),
    "key_administrator_arns": st.lists(_role_arn, max_size=2),
    "key_user_arns": st.lists(_role_arn, max_size=2),
    "log_retention_days": st.sampled_from(LOG_RETENTION_DAYS),
    "noncurrent_version_retention_days": st.integers(1, 3650),
    "enable_s3_data_events": st.booleans(),
    "create_codebuild_role": st.booleans(),
    "create_pipeline_role": st.booleans(),
    "create_component_role": st.booleans(),
    "environment_account_ids": st.lists(_account, max_size=2),
    "provisioned_services": st.lists(st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True), max_size=3),
    "secret_names": st.lists(st.from_regex(r"[A-Za-z0-9/_+=.@-]{1,20}", fullmatch=True), max_size=3),
    "secure_parameter_names": st.lists(st.from_regex(r"/?[A-Za-z0-9_./-]{1,20}", fullmatch=True), max_size=3),
    "tags": st.dictionaries(_tag_key, _tag_value, max_size=4),
    "state_key": st.from_regex(r"[A-Za-z0-9!_.*'()-][A-Za-z0-9!_.*'()/-]{0,30}", fullmatch=True),
}
assert set(PLAUSIBLE) == set(FIELD_NAMES), "a new answer needs a plausible strategy here"


@st.composite
def answers(draw: st.DrawFn) -> dict[str, Any]:
    """Some plausible answers, and up to two of them (any field) replaced by any TOML value."""
    data = draw(st.fixed_dictionaries({}, optional=PLAUSIBLE))
    for name in draw(st.lists(st.sampled_from(FIELD_NAMES), max_size=2, unique=True)):
        data[name] = draw(any_toml_value)
    return data


# --- the oracle -----------------------------------------------------------------------------------

# Every answer is a variable except state_key, which lives in backend.tf (a backend takes no variables).
VARIABLES = [name for name in FIELD_NAMES if name != "state_key"]
_ANSWERS_EXPRESSION = "{" + ", ".join(f"{n} = var.{n}" for n in VARIABLES) + "}"


def _check_success(out: Path, work: Path, expected: dict[str, Any]) -> None:
    batch = work / "fmt"
    terraform_grammar.write_batch({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}, batch)
    checked = terraform_grammar.check_tree(batch)
    assert checked.returncode == 0, f"terraform fmt -check:\n{checked.stdout}\n{checked.stderr}"
    module = work / "module"
    module.mkdir()
    shutil.copy(out / "variables.tf", module / "variables.tf")
    shutil.copy(out / "terraform.tfvars.example", module / "example.tfvars")
    variables = {name: expected[name] for name in VARIABLES}
    assert terraform_grammar.evaluate(module, _ANSWERS_EXPRESSION) == variables, "variables.tf defaults"
    assert terraform_grammar.evaluate(module, _ANSWERS_EXPRESSION, "-var-file=example.tfvars") == variables, "terraform.tfvars.example"
    # state_key's characters need no HCL escape, so its literal is also a JSON string literal.
    backend = hcl2.loads((out / "backend.tf").read_text(encoding="utf-8"))["terraform"][0]["backend"][0]['"s3"']
    assert json.loads(backend["key"]) == expected["state_key"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(answers())
def test_any_answer_is_a_literal_terraform_reads_or_one_line_naming_the_field(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, Any]
) -> None:
    work = tmp_path_factory.mktemp("answers")
    config = work / "answers.toml"
    config.write_text(toml_text.document(data), encoding="utf-8")
    flags = {name: value for name, value in GOOD_FLAGS.items() if name not in data}
    out = work / "out"
    args = ["init", "--non-interactive", "--skip-checkov", "--out", str(out), "--config", str(config)]
    for name, value in flags.items():
        args += ["--" + name.replace("_", "-"), value]
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    event(f"exit {result.exit_code}")
    if result.exit_code == 0:
        expected = build_config(data, flags).to_mapping()
        _check_success(out, work, expected)
        return
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1, result.output
    message = result.output.removeprefix("tfgen: error: ")
    named = [n for n in data if message.startswith((f"{n}: ", f"{n}.", f"missing required answer(s): --{n.replace('_', '-')}"))]
    named += [str(config)] if message.startswith(f"{config}:") else []
    assert named, f"the error names no given field: {result.output}"
    if message.startswith("missing required"):
        assert all(n in REQUIRED for n in named)
    assert not out.exists()
