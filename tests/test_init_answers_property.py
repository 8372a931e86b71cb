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
from support import terraform_grammar, toml_text
from support.hostile import HOSTILE_FRAGMENTS, HOSTILE_KEYS
from typer.testing import CliRunner

from tfgen.cli import app
from tfgen.init.config import FIELD_NAMES, REQUIRED, build_config
from tfgen.init.facts import LOG_RETENTION_DAYS

pytestmark = pytest.mark.skipif(
    terraform_grammar.skip_reason() is not None, reason=terraform_grammar.skip_reason() or ""
)

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
    st.just("aws"),
    _account,
    st.from_regex(r"[A-Za-z0-9_+=,.@-]{1,20}", fullmatch=True),
)
_tag_key = st.one_of(st.sampled_from(HOSTILE_KEYS), st.from_regex(r"[A-Za-z0-9 _.:/=+@-]{1,20}", fullmatch=True))
# Printable values a tag may hold, however hostile to HCL: they must reach Terraform as literals.
_printable_hostile = st.lists(
    st.sampled_from([f for f in HOSTILE_FRAGMENTS if f.isprintable() and f != "e\u0301"]), max_size=8
).map("".join)
_tag_value = st.one_of(_printable_hostile, st.from_regex(r"[A-Za-z0-9 _.:/=+@-]{0,20}", fullmatch=True))
_any_tag_value = st.one_of(_tag_value, _hostile_text, _any_text)
# One valid item (a string) per answer; lists hold several, numbers and booleans are also given as text.
ITEM: dict[str, st.SearchStrategy[str]] = {
    "account_id": _account,
    "region": st.sampled_from(["eu-west-1", "us-east-1", "ap-south-1", "us-gov-west-1", "cn-north-1"]),
    "name": st.from_regex(r"[a-z][a-z0-9]{1,10}[a-z0-9]", fullmatch=True),
    "key_administrator_arns": _role_arn,
    "key_user_arns": _role_arn,
    "log_retention_days": st.sampled_from(LOG_RETENTION_DAYS).map(str),
    "noncurrent_version_retention_days": st.integers(1, 3650).map(str),
    "enable_s3_data_events": st.sampled_from(["true", "false", "yes", "no"]),
    "create_codebuild_role": st.sampled_from(["true", "false", "yes", "no"]),
    "create_pipeline_role": st.sampled_from(["true", "false", "yes", "no"]),
    "create_component_role": st.sampled_from(["true", "false", "yes", "no"]),
    "environment_account_ids": _account,
    "provisioned_services": st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True),
    "secret_names": st.from_regex(r"[A-Za-z0-9/_+=.@-]{1,20}", fullmatch=True),
    "secure_parameter_names": st.from_regex(r"/?[A-Za-z0-9_./-]{1,20}", fullmatch=True),
    "tags": _tag_key,
    "state_key": st.from_regex(r"[A-Za-z0-9!_.*'()-][A-Za-z0-9!_.*'()/-]{0,30}", fullmatch=True),
    "regions": st.sampled_from(["eu-west-1", "us-east-1", "ap-southeast-2", "us-gov-east-1", "cn-northwest-1"]),
    "access_analyzer": st.sampled_from(["true", "false", "yes", "no"]),
    "config_recorder": st.sampled_from(["true", "false", "yes", "no"]),
    "guardduty": st.sampled_from(["true", "false", "yes", "no"]),
    "security_hub": st.sampled_from(["true", "false", "yes", "no"]),
    "cis_alarms": st.sampled_from(["true", "false", "yes", "no"]),
    "alarm_email": st.from_regex(r"[A-Za-z0-9._%+-]{1,10}@[a-z0-9-]{1,10}\.[a-z]{2,4}", fullmatch=True),
}
assert set(ITEM) == set(FIELD_NAMES), "a new answer needs a strategy here"
_LISTS = {
    "key_administrator_arns",
    "key_user_arns",
    "environment_account_ids",
    "provisioned_services",
    "secret_names",
    "secure_parameter_names",
    "regions",
}
_BOOLS = {"access_analyzer", "config_recorder", "guardduty", "security_hub", "cis_alarms"}


def _as_answer(
    name: str, items: st.SearchStrategy[str], tag_values: st.SearchStrategy[str] = _tag_value
) -> st.SearchStrategy[Any]:
    if name in _LISTS:
        return st.lists(items, max_size=3)
    if name == "tags":
        return st.dictionaries(items, tag_values, max_size=4)
    if name.endswith("_days"):
        return items.map(int)
    if name.startswith(("enable_", "create_")) or name in _BOOLS:
        return items.map(lambda text: text in ("true", "yes"))
    return items


PLAUSIBLE = {name: _as_answer(name, ITEM[name]) for name in FIELD_NAMES}
# A valid item with a twist where a whole-value or ASCII check, or a credential check, must catch it:
# a trailing newline (`$` matches before it), another script's letters or digits (`\w`, isdigit),
# a template sequence, a NUL, a credential, a keyword.
_TWISTS = ["\n", " ", "\t", "é", "²", "٣٦٥", "${x}", "\x00", "AKIAIOSFODNN7EXAMPLE", "for", "e\u0301"]
TWISTED = {
    name: st.builds(
        lambda item, twist, front: twist + item if front else item + twist,
        ITEM[name],
        st.sampled_from(_TWISTS),
        st.booleans(),
    )
    for name in FIELD_NAMES
}


@st.composite
def answers(draw: st.DrawFn) -> dict[str, Any]:
    """Some plausible answers, and up to two of them (any field) replaced by a twisted or any TOML value."""
    data = draw(st.fixed_dictionaries({}, optional=PLAUSIBLE))
    for name in draw(st.lists(st.sampled_from(FIELD_NAMES), max_size=2, unique=True)):
        twisted = (
            TWISTED[name]
            if name not in _LISTS and name != "tags"
            else _as_answer(name, st.one_of(ITEM[name], TWISTED[name]), _any_tag_value)
        )
        data[name] = draw(st.one_of(twisted, any_toml_value))
    return data


# --- the oracle -----------------------------------------------------------------------------------

# Every answer is a variable except state_key, which lives in backend.tf (a backend takes no
# variables), and regions, which are providers (a provider's region is fixed before variables).
VARIABLES = [name for name in FIELD_NAMES if name not in ("state_key", "regions")]
_ANSWERS_EXPRESSION = "{" + ", ".join(f"{n} = var.{n}" for n in VARIABLES) + "}"


def _check_success(out: Path, work: Path, expected: dict[str, Any]) -> None:
    batch = work / "fmt"
    terraform_grammar.write_batch(
        {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}, batch
    )
    checked = terraform_grammar.check_tree(batch)
    assert checked.returncode == 0, f"terraform fmt -check:\n{checked.stdout}\n{checked.stderr}"
    module = work / "module"
    module.mkdir()
    shutil.copy(out / "variables.tf", module / "variables.tf")
    shutil.copy(out / "terraform.tfvars.example", module / "example.tfvars")
    variables = {name: expected[name] for name in VARIABLES}
    variables["alarm_email"] = variables["alarm_email"] or None  # no address: null
    assert terraform_grammar.evaluate(module, _ANSWERS_EXPRESSION) == variables, "variables.tf defaults"
    assert terraform_grammar.evaluate(module, _ANSWERS_EXPRESSION, "-var-file=example.tfvars") == variables, (
        "terraform.tfvars.example"
    )
    # state_key's characters need no HCL escape, so its literal is also a JSON string literal.
    backend = hcl2.loads((out / "backend.tf").read_text(encoding="utf-8"))["terraform"][0]["backend"][0]['"s3"']
    assert json.loads(backend["key"]) == expected["state_key"]
    providers = hcl2.loads((out / "providers.tf").read_text(encoding="utf-8"))["provider"]
    regions = [json.loads(p['"aws"']["region"]) for p in providers[1:]]
    assert regions == sorted(set(expected["regions"]) - {expected["region"]}), "providers.tf aliases"


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
    named = [
        n
        for n in data
        if message.startswith((f"{n}: ", f"{n}.", f"missing required answer(s): --{n.replace('_', '-')}"))
    ]
    named += [str(config)] if message.startswith(f"{config}:") else []
    assert named, f"the error names no given field: {result.output}"
    if message.startswith("missing required"):
        assert all(n in REQUIRED for n in named)
    assert not out.exists()
