"""Proof 1: every rendered file parses back and says what the blueprint meant; a gap writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.init_tree import init

import tfgen.init.api
from tfgen.errors import InternalError
from tfgen.init.config import build_config
from tfgen.init.render import render_baseline
from tfgen.init.verify import parse_rendered, verify_rendered

ANSWERS = {"account_id": "123456789012", "region": "eu-west-1", "name": "acme"}


def test_every_rendered_file_parses_and_matches_the_model() -> None:
    config = build_config(
        ANSWERS, {"key_user_arns": ["arn:aws:iam::123456789012:role/app"], "tags": {"Team": 'say "hi" ${x}'}}
    )
    files = render_baseline(config)
    parsed = verify_rendered(files, config)
    hcl_files = {p for p in files if p.endswith((".tf", ".tfvars.example"))}
    assert set(parsed) == hcl_files
    assert len(hcl_files) >= 27


@pytest.mark.parametrize(
    ("path", "old", "new", "complaint"),
    [
        (
            "modules/kms/main.tf",
            "enable_key_rotation     = true",
            "enable_key_rotation     = false",
            "enable_key_rotation",
        ),
        (
            "modules/cloudtrail/main.tf",
            "is_multi_region_trail         = true",
            "is_multi_region_trail         = false",
            "is_multi_region_trail",
        ),
        ("backend.tf", "use_lockfile = true", "use_lockfile = false", "use_lockfile"),
        ("variables.tf", '"123456789012"', '"210987654321"', "account_id"),
        ("main.tf", 'module "cloudtrail" {', 'module "trail" {', "module.cloudtrail"),
        ("modules/s3/main.tf", "{\n", "{{\n", "does not parse"),
    ],
)
def test_a_render_that_drifts_from_the_model_is_an_internal_error(
    path: str, old: str, new: str, complaint: str
) -> None:
    config = build_config(ANSWERS)
    files = render_baseline(config)
    assert old in files[path]
    files[path] = files[path].replace(old, new, 1)
    with pytest.raises(InternalError, match=complaint):
        verify_rendered(files, config)


def test_cli_writes_nothing_when_the_parse_back_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def tampered(config):  # noqa: ANN001, ANN202
        files = render_baseline(config)
        files["backend.tf"] = files["backend.tf"].replace("encrypt      = true", "encrypt      = false")
        return files

    monkeypatch.setattr(tfgen.init.api, "render_baseline", tampered)
    out = tmp_path / "out"
    code, output = init(out)
    assert code == 1
    assert "does not match its blueprint model" in output
    assert not out.exists()


def test_parsed_model_is_the_python_hcl2_view() -> None:
    parsed = parse_rendered(
        {"a.tf": 'resource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n', "README.md": "# not HCL {"}
    )
    assert list(parsed) == ["a.tf"]
    assert parsed["a.tf"].blocks[0].labels == ("aws_kms_key", "k")


def test_lists_render_in_the_order_the_model_expects_whatever_their_case() -> None:
    # Jinja's `sort` ignores case by default ("_" < "A" < "b"), Python's `sorted` does not ("A" < "_" < "b"):
    # a mixed-case list must render in the order the model expects, or init stops with an internal error.
    names = ["b", "A", "_", "a/B", "a/_"]
    config = build_config(
        ANSWERS,
        {
            "secret_names": names,
            "secure_parameter_names": ["/" + n for n in names],
            "key_user_arns": ["arn:aws:iam::123456789012:role/" + n.replace("/", "") for n in names],
        },
    )
    verify_rendered(render_baseline(config), config)


def _statement(text: str, sid: str) -> str:
    """The whole `statement { ... }` block (two-space indented) whose sid is `sid`."""
    start = text.index(f'  statement {{\n    sid       = "{sid}"')
    end = text.index("\n  }\n", start) + len("\n  }\n")
    return text[start:end]


def _swap(text: str, first: str, second: str) -> str:
    a, b = _statement(text, first), _statement(text, second)
    return text.replace(a, "\0").replace(b, a).replace("\0", b)


@pytest.mark.parametrize(
    ("path", "first", "second"),
    [
        ("modules/s3/main.tf", "DenyInsecureTransport", "DenyOutdatedTLS"),
        ("modules/iam/main.tf", "ProtonTemplatesEnvironmentsConnections", "PassGeneratedRolesToProton"),
    ],
)
def test_statements_in_another_order_still_match_the_model(path: str, first: str, second: str) -> None:
    # The model names statements by sid: their order in a policy document means nothing to IAM.
    config = build_config(ANSWERS)
    files = render_baseline(config)
    swapped = _swap(files[path], first, second)
    assert swapped != files[path] and swapped.index(second) < swapped.index(first)
    files[path] = swapped
    verify_rendered(files, config)


@pytest.mark.parametrize(
    ("path", "sid", "old", "new", "complaint"),
    [
        (
            "modules/s3/main.tf",
            "DenyInsecureTransport",
            '"aws:SecureTransport"',
            '"aws:SecureTransportX"',
            "statement DenyInsecureTransport: condition.variable",
        ),
        (
            "modules/iam/main.tf",
            "PassGeneratedRolesToProton",
            '["iam:PassRole"]',
            '["iam:*"]',
            "statement PassGeneratedRolesToProton: actions",
        ),
        (
            "modules/s3/main.tf",
            "DenyOutdatedTLS",
            '"DenyOutdatedTLS"',
            '"DenyOldTLS"',
            "statement DenyOutdatedTLS is missing",
        ),
        (
            "modules/s3/main.tf",
            "DenyOutdatedTLS",
            '"DenyOutdatedTLS"',
            '"DenyInsecureTransport"',
            "two statements with sid DenyInsecureTransport",
        ),
    ],
)
def test_a_changed_statement_is_an_internal_error(path: str, sid: str, old: str, new: str, complaint: str) -> None:
    config = build_config(ANSWERS)
    files = render_baseline(config)
    statement = _statement(files[path], sid)
    files[path] = files[path].replace(statement, statement.replace(old, new, 1))
    with pytest.raises(InternalError, match=complaint):
        verify_rendered(files, config)


def test_an_extra_statement_is_an_internal_error() -> None:
    config = build_config(ANSWERS)
    files = render_baseline(config)
    path = "modules/s3/main.tf"
    statement = _statement(files[path], "DenyOutdatedTLS")
    extra = statement.replace('"DenyOutdatedTLS"', '"AllowEverything"').replace('"Deny"', '"Allow"')
    files[path] = files[path].replace(statement, statement + "\n" + extra)
    with pytest.raises(InternalError, match="unexpected statement AllowEverything"):
        verify_rendered(files, config)
